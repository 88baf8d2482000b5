import { describe, expect, it } from 'vitest';
import type { ClusterLookup } from '../../../../src/agent/postgres/describe-rds-cluster.js';
import {
  type IamAuthFailureInput,
  iamAuthChecklist,
  iamAuthFailure,
} from '../../../../src/agent/postgres/iam-auth-diagnosis.js';

const unknownCluster: ClusterLookup = { ok: false, reason: 'access-denied', detail: 'AccessDenied' };
const input = (o: Partial<IamAuthFailureInput> = {}): IamAuthFailureInput => ({
  host: 'camunda.cluster-abc.eu-west-1.rds.amazonaws.com',
  port: 5432,
  user: 'zeebe',
  database: 'camunda',
  region: 'eu-west-1',
  regionSource: 'host name',
  hostInfo: { identifier: 'camunda', kind: 'cluster', region: 'eu-west-1', partition: 'aws' },
  signer: {
    source: 'web-identity',
    callerArn: 'arn:aws:sts::111122223333:assumed-role/zeebe-role/s',
    account: '111122223333',
    isNodeRole: false,
  },
  cluster: unknownCluster,
  serverMessage: 'PAM authentication failed for user "zeebe"',
  tokenAgeMs: 40,
  ...o,
});
const status = (items: ReturnType<typeof iamAuthChecklist>, cause: string) =>
  items.find((i) => i.cause === cause)?.status;

describe('iamAuthFailure', () => {
  it('lists the causes in the documented order when nothing can be narrowed', () => {
    const items = iamAuthChecklist(input());
    expect(items.map((i) => i.cause)).toEqual([
      'iam-auth-disabled',
      'policy-missing',
      'resource-is-cluster-name',
      'resource-user-differs',
      'user-lacks-rds-iam',
      'token-host-port-region',
      'token-expired',
    ]);
    expect(status(items, 'token-expired')).toBe('ruled-out');
    const f = iamAuthFailure(input());
    expect(f).toMatchObject({ code: 'PG-IAM-AUTH-FAILED', status: 'fail' });
    expect(f.remediation).toContain(
      'aws rds describe-db-clusters --region eu-west-1 --db-cluster-identifier camunda',
    );
    expect(f.remediation).toContain('arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-RESOURCE_ID/zeebe');
    expect(f.remediation).toContain('GRANT rds_iam TO "zeebe";');
  });
  it('names the real resource id and confirms disabled IAM auth from DescribeDBClusters', () => {
    const cluster: ClusterLookup = {
      ok: true,
      facts: {
        kind: 'cluster',
        identifier: 'camunda',
        resourceId: 'cluster-XYZ',
        iamAuthEnabled: false,
        endpoints: ['camunda.cluster-abc.eu-west-1.rds.amazonaws.com'],
        port: 5432,
      },
    };
    const f = iamAuthFailure(input({ cluster }));
    expect(status(iamAuthChecklist(input({ cluster })), 'iam-auth-disabled')).toBe('confirmed');
    expect(f.details?.policyResource).toBe('arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-XYZ/zeebe');
    expect(f.remediation).toContain('--enable-iam-database-authentication');
  });
  it('suspects the token target when the host is an alias or not the cluster endpoint', () => {
    expect(
      status(
        iamAuthChecklist(
          input({
            host: 'db.corp',
            hostInfo: undefined,
            cnameTarget: 'camunda.cluster-abc.eu-west-1.rds.amazonaws.com',
          }),
        ),
        'token-host-port-region',
      ),
    ).toBe('likely');
    const cluster: ClusterLookup = {
      ok: true,
      facts: {
        kind: 'cluster',
        identifier: 'camunda',
        resourceId: 'cluster-XYZ',
        iamAuthEnabled: true,
        endpoints: ['127.0.0.1'],
        port: 5432,
      },
    };
    const items = iamAuthChecklist(input({ host: 'localhost', hostInfo: undefined, cluster }));
    expect(status(items, 'token-host-port-region')).toBe('likely');
    expect(status(items, 'iam-auth-disabled')).toBe('ruled-out');
  });
  it("takes the account from the pod's role ARN when GetCallerIdentity did not answer", () => {
    const f = iamAuthFailure(
      input({
        signer: { source: 'web-identity', isNodeRole: false },
        podRoleArn: 'arn:aws:iam::444455556666:role/camunda/zeebe-role',
      }),
    );
    expect(f.details?.policyResource).toBe(
      'arn:aws:rds-db:eu-west-1:444455556666:dbuser:cluster-RESOURCE_ID/zeebe',
    );
    expect(f.remediation).not.toContain('ACCOUNT_ID');
    // The signer's own account still wins when STS named it.
    expect(
      iamAuthFailure(input({ podRoleArn: 'arn:aws:iam::444455556666:role/zeebe-role' })).details
        ?.policyResource,
    ).toContain(':111122223333:');
    // Nothing known: the placeholder stays.
    expect(
      iamAuthFailure(input({ signer: { source: 'web-identity', isNodeRole: false } })).details
        ?.policyResource,
    ).toContain(':ACCOUNT_ID:');
  });
  it('quotes the SQLSTATE the PAM text came with', () => {
    expect(iamAuthFailure(input()).message).toContain('FATAL 28000 PAM authentication failed');
    expect(iamAuthFailure(input({ sqlstate: '28P01' })).message).toContain(
      'FATAL 28P01 PAM authentication failed',
    );
  });
  it('puts a node-role signature first', () => {
    const items = iamAuthChecklist(input({ signer: { source: 'imds', isNodeRole: true } }));
    expect(items[0]).toMatchObject({ cause: 'signed-by-node-role', status: 'likely' });
    expect(items[0]?.note).toContain('see CHAIN-IMDS-FALLBACK');
    const f = iamAuthFailure(input({ signer: { source: 'imds', isNodeRole: true } }));
    expect(f.details?.see).toBe('CHAIN-IMDS-FALLBACK');
    expect(iamAuthFailure(input()).details?.see).toBeUndefined();
  });
});
