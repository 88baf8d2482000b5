import { describe, expect, it } from 'vitest';
import type { Code } from '../../../src/report/catalog/index.js';
import { finding } from '../../../src/report/finding.js';

describe('finding', () => {
  it('takes the status and the fix from the catalog, filled with the run values', () => {
    const f = finding('ARN-PARTITION-MISMATCH', 'partition aws, region cn-north-1', {
      fix: { partition: 'aws', regionPartition: 'aws-cn' },
      details: { region: 'cn-north-1' },
    });
    expect(f.status).toBe('warn');
    expect(f.remediation).toContain('arn:aws-cn:iam::ACCOUNT:role/NAME');
    expect(f.remediation).toContain('a region of aws');
    expect(f.details).toEqual({ region: 'cn-north-1' });
  });

  it('prints the placeholder name where the run does not know the value', () => {
    const f = finding('ENV-REGION-MISSING', 'no region', { fix: {} });
    expect(f.remediation).toContain('kubectl set env deployment/NAME -n NAMESPACE AWS_REGION=REGION');
    const known = finding('ENV-REGION-MISSING', 'no region', { fix: { namespace: 'camunda' } });
    expect(known.remediation).toContain('-n camunda AWS_REGION');
  });

  it('gives pass and skip findings no remediation, and an info finding the fix its code has', () => {
    expect(finding('IMDS-BLOCKED', 'blocked')).toEqual({
      code: 'IMDS-BLOCKED',
      status: 'pass',
      message: 'blocked',
      docs: 'https://github.com/irsa-doctor/irsa-doctor/blob/main/docs/codes.md#imds-blocked',
    });
    expect(finding('STS-SKIPPED', 'no token').remediation).toBeUndefined();
    expect(finding('PG-TLS-UNVERIFIED', 'not verified').remediation).toContain('--postgres-ca');
  });

  it('takes one of the statuses a code may have, and refuses another', () => {
    expect(finding('ENV-PARTIAL', 'half', { status: 'warn', variant: 'irsa' }).status).toBe('warn');
    expect(() => finding('ENV-PARTIAL', 'half', { status: 'info' as 'warn', variant: 'irsa' })).toThrow(
      /status/,
    );
    expect(() => finding('NOT-A-CODE' as Code, 'x' as never)).toThrow(/not in the catalog/);
  });

  it('joins the chosen fix variants in order, and numbers them for a step-by-step fix', () => {
    const f = finding('CHAIN-SHADOWED', 'shadowed', {
      variant: ['envKeys', 'restart'],
      fix: { envKeys: 'AWS_ACCESS_KEY_ID', envKeysUnset: 'AWS_ACCESS_KEY_ID-', namespace: 'ns' },
    });
    expect(f.remediation).toMatch(
      /^Remove AWS_ACCESS_KEY_ID from the container env .* Then restart the pods\.$/,
    );
    const steps = finding('PG-IAM-AUTH-FAILED', 'PAM', {
      variant: ['enableIamAuth', 'grantRdsIam'],
      fix: { clusterId: 'c1', quotedUser: '"zeebe"' },
    });
    expect(steps.remediation).toBe(
      '1. Enable IAM database authentication: `aws rds modify-db-cluster --db-cluster-identifier c1 --enable-iam-database-authentication --apply-immediately`\n2. In the database, as the master user: `GRANT rds_iam TO "zeebe";`',
    );
  });
});
