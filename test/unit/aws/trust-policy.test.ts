import { describe, expect, it } from 'vitest';
import {
  issuerHostOf,
  oidcProviderArn,
  renderTrustPolicy,
  SUB_PLACEHOLDER,
  trustStatementFor,
} from '../../../src/aws/trust-policy.js';

const ISS = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E';
const HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E';

describe('trust policy for a token', () => {
  it('strips the scheme and trailing slashes from the issuer', () => {
    expect(issuerHostOf(ISS)).toBe(HOST);
    expect(issuerHostOf(`${ISS}/`)).toBe(HOST);
    expect(issuerHostOf(HOST)).toBe(HOST);
  });

  it('names the provider in the role account and partition', () => {
    expect(oidcProviderArn('aws-cn', '444455556666', ISS)).toBe(
      `arn:aws-cn:iam::444455556666:oidc-provider/${HOST}`,
    );
  });

  it('admits exactly this sub and the STS audience', () => {
    const s = trustStatementFor({
      partition: 'aws',
      account: '111122223333',
      issuer: ISS,
      subject: 'system:serviceaccount:camunda:zeebe',
    });
    expect(s).toEqual({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${HOST}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${HOST}:sub`]: 'system:serviceaccount:camunda:zeebe',
          [`${HOST}:aud`]: 'sts.amazonaws.com',
        },
      },
    });
  });

  it('uses a placeholder when the token has no sub, and honours another audience', () => {
    const s = trustStatementFor({
      partition: 'aws',
      account: '111122223333',
      issuer: ISS,
      audience: 'custom',
    });
    expect(s.Condition.StringEquals[`${HOST}:sub`]).toBe(SUB_PLACEHOLDER);
    expect(s.Condition.StringEquals[`${HOST}:aud`]).toBe('custom');
  });

  it('renders a complete policy document', () => {
    const doc = JSON.parse(
      renderTrustPolicy({
        partition: 'aws',
        account: '111122223333',
        issuer: ISS,
        subject: 'system:serviceaccount:a:b',
      }),
    );
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0].Condition.StringEquals[`${HOST}:sub`]).toBe('system:serviceaccount:a:b');
  });
});
