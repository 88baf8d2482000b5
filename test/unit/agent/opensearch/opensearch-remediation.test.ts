import { describe, expect, it } from 'vitest';
import {
  accessPolicyStatement,
  roleArnFromPrincipal,
} from '../../../../src/agent/opensearch/opensearch-remediation.js';
import { finding } from '../../../../src/report/finding.js';

describe('remediation builders', () => {
  it('derive the role ARN from a session ARN, and keep a role ARN as is', () => {
    expect(roleArnFromPrincipal('arn:aws:sts::111122223333:assumed-role/camunda/sess')).toBe(
      'arn:aws:iam::111122223333:role/camunda',
    );
    expect(roleArnFromPrincipal('arn:aws:iam::111122223333:role/apps/camunda')).toBe(
      'arn:aws:iam::111122223333:role/apps/camunda',
    );
    expect(roleArnFromPrincipal('anonymous')).toBeUndefined();
  });

  it('the access policy statement names the role and the domain resource', () => {
    expect(
      JSON.parse(
        accessPolicyStatement({
          roleArn: 'arn:aws:iam::111122223333:role/camunda',
          region: 'eu-west-1',
          domainName: 'camunda',
          url: 'https://x',
        }),
      ),
    ).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/camunda' },
      Action: 'es:ESHttp*',
      Resource: 'arn:aws:es:eu-west-1:111122223333:domain/camunda/*',
    });
  });

  it('the role mapping call appends the role ARN to backend_roles', () => {
    const r = finding('OS-FGAC-UNMAPPED', 'not mapped', {
      variant: 'map',
      fix: { roleArn: 'arn:aws:iam::111122223333:role/camunda', url: 'https://os' },
    }).remediation;
    expect(r).toContain('PATCH "https://os/_plugins/_security/api/rolesmapping/all_access"');
    expect(r).toContain(
      '[{"op":"add","path":"/backend_roles/-","value":"arn:aws:iam::111122223333:role/camunda"}]',
    );
  });
});
