import { describe, expect, it } from 'vitest';
import { classifyPgError } from '../../src/agent/postgres/classify-pg-error.js';
import type { ClusterLookup } from '../../src/agent/postgres/describe-rds-cluster.js';
import {
  type IamAuthFailureInput,
  iamAuthChecklist,
  iamAuthFailure,
} from '../../src/agent/postgres/iam-auth-diagnosis.js';
import { failureFinding, type LoginFacts, sessionFindings } from '../../src/agent/postgres/login-findings.js';
import type { SessionFacts } from '../../src/agent/postgres/session-facts.js';

// The shape pg's DatabaseError has: the ErrorResponse fields as properties.
const serverError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'FATAL', routine: 'auth_failed' });

describe('classifyPgError', () => {
  it.each([
    ['28000', 'PAM authentication failed for user "zeebe"', 'iam-auth-failed'],
    ['28000', 'pam authentication FAILED for user "zeebe"', 'iam-auth-failed'],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", no encryption',
      'ssl-required',
    ],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", SSL off',
      'ssl-required',
    ],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", SSL encryption',
      'hba-rejected',
    ],
    ['28000', 'role "zeebe" does not exist', 'role-missing'],
    ['28P01', 'password authentication failed for user "legacy"', 'not-iam-user'],
    ['3D000', 'database "camunda" does not exist', 'database-missing'],
    ['53300', 'sorry, too many clients already', 'server-busy'],
    ['57P03', 'the database system is starting up', 'server-busy'],
    ['XX000', 'internal error', 'other'],
  ])('%s %s -> %s', (code, message, kind) => {
    expect(classifyPgError(serverError(code, message))).toMatchObject({ kind, sqlstate: code });
  });
  it('keys on SQLSTATE, not on the phrase alone', () => {
    expect(classifyPgError(serverError('08006', 'PAM authentication failed')).kind).toBe('other');
  });
  it('trusts the PAM phrase under any 28xxx class code, not only 28000', () => {
    // A server (or proxy) that answers the PAM rejection with invalid_password must still get the IAM checklist.
    expect(classifyPgError(serverError('28P01', 'PAM authentication failed for user "zeebe"'))).toMatchObject(
      { kind: 'iam-auth-failed', sqlstate: '28P01' },
    );
    expect(classifyPgError(serverError('28P01', 'password authentication failed for user "x"')).kind).toBe(
      'not-iam-user',
    );
  });
  it('maps client-side failures to network kinds', () => {
    expect(classifyPgError(new Error('The server does not support SSL connections')).kind).toBe(
      'tls-unsupported',
    );
    expect(
      classifyPgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({ kind: 'net', net: { code: 'NET-REFUSED' } });
    expect(classifyPgError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toMatchObject({
      kind: 'net',
      net: { code: 'NET-TLS' },
    });
    expect(classifyPgError(new Error('Connection terminated due to connection timeout')).net?.code).toBe(
      'NET-TIMEOUT',
    );
    expect(classifyPgError(new Error('Connection terminated unexpectedly')).net?.code).toBe('NET-RESET');
  });
});

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

const facts: LoginFacts = {
  host: 'h',
  port: 5432,
  user: 'zeebe',
  database: 'camunda',
  region: 'eu-west-1',
  regionSource: 'host name',
  signer: {
    source: 'web-identity',
    callerArn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    isNodeRole: false,
  },
  tlsVerified: true,
};
const session = (o: Partial<SessionFacts> = {}): SessionFacts => ({
  serverVersion: '16.4',
  currentUser: 'zeebe',
  database: 'camunda',
  rdsIamMember: true,
  privileges: { connect: true, create: true, temp: true, schemaPublic: { usage: true, create: true } },
  ...o,
});
const codes = (fs: { code: string; status: string }[]) => fs.map((f) => `${f.code}:${f.status}`);

describe('sessionFindings', () => {
  it('passes a healthy, verified login', () => {
    expect(codes(sessionFindings(facts, session()))).toEqual(['PG-LOGIN-OK:pass']);
  });
  it('notes unverified TLS, node-role signing, missing rds_iam and privileges', () => {
    const f = sessionFindings(
      { ...facts, tlsVerified: false, signer: { source: 'imds', isNodeRole: true } },
      session({
        rdsIamMember: false,
        privileges: {
          connect: true,
          create: false,
          temp: true,
          schemaPublic: { usage: true, create: false },
        },
      }),
    );
    expect(codes(f)).toEqual([
      'PG-LOGIN-OK:pass',
      'PG-TLS-UNVERIFIED:info',
      'PG-SIGNED-BY-NODE-ROLE:warn',
      'PG-RDS-IAM-MISSING:warn',
      'PG-DB-PRIVILEGES:warn',
      'PG-SCHEMA-PRIVILEGES:info',
    ]);
    const node = f.find((x) => x.code === 'PG-SIGNED-BY-NODE-ROLE');
    expect(node?.message).toContain('see CHAIN-IMDS-FALLBACK');
    expect(node?.details?.see).toBe('CHAIN-IMDS-FALLBACK');
    const priv = f.find((x) => x.code === 'PG-DB-PRIVILEGES');
    expect(priv?.remediation).toContain('GRANT ALL PRIVILEGES ON DATABASE "camunda" TO "zeebe";');
    expect(priv?.remediation).not.toContain('SCHEMA');
    const schema = f.find((x) => x.code === 'PG-SCHEMA-PRIVILEGES');
    expect(schema?.message).toContain('GRANT ALL ON SCHEMA public TO "zeebe";');
    expect(schema?.details).toMatchObject({ grant: 'GRANT ALL ON SCHEMA public TO "zeebe";' });
  });
  it('GRANT ALL ON DATABASE on PostgreSQL 15+ (no CREATE in schema public) is not a database-privilege warning', () => {
    const f = sessionFindings(
      facts,
      session({
        privileges: {
          connect: true,
          create: true,
          temp: true,
          schemaPublic: { usage: true, create: false },
        },
      }),
    );
    expect(codes(f)).toEqual(['PG-LOGIN-OK:pass', 'PG-SCHEMA-PRIVILEGES:info']);
  });
  it('treats a server without rds_iam as not RDS', () => {
    expect(codes(sessionFindings(facts, session({ rdsIamMember: null })))).toContain(
      'PG-RDS-IAM-MISSING:warn',
    );
  });
});

describe('failureFinding', () => {
  it.each([
    ['ssl-required', 'PG-SSL-REQUIRED'],
    ['tls-unsupported', 'PG-SSL-REQUIRED'],
    ['hba-rejected', 'PG-HBA-REJECTED'],
    ['not-iam-user', 'PG-NOT-IAM-USER'],
    ['database-missing', 'PG-DATABASE-MISSING'],
    ['role-missing', 'PG-ROLE-MISSING'],
    ['server-busy', 'PG-SERVER-BUSY'],
    ['other', 'PG-LOGIN-FAILED'],
  ] as const)('%s -> %s', (kind, code) => {
    const f = failureFinding(facts, { kind, message: 'm', sqlstate: '28000' });
    expect(f).toMatchObject({ code, status: 'fail' });
    expect(f.remediation).toBeTruthy();
  });
  it('gives the exact SQL for a missing database and a password user', () => {
    expect(failureFinding(facts, { kind: 'database-missing', message: 'm' }).remediation).toContain(
      'CREATE DATABASE "camunda"; GRANT ALL PRIVILEGES ON DATABASE "camunda" TO "zeebe";',
    );
    expect(failureFinding(facts, { kind: 'not-iam-user', message: 'm' }).remediation).toContain(
      'GRANT rds_iam TO "zeebe";',
    );
  });
  it('reuses the NET code of a network failure', () => {
    const f = failureFinding(facts, {
      kind: 'net',
      message: 'm',
      net: { code: 'NET-TIMEOUT', phase: 'tcp', errno: 'timeout', reason: 'r' },
    });
    expect(f.code).toBe('NET-TIMEOUT');
    expect(f.remediation).toContain('authorize-security-group-ingress');
  });
});
