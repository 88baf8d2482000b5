import { describe, expect, it } from 'vitest';
import { webIdentityEventOf } from '../../../../src/audit/cloudtrail/web-identity-events.js';

const SUB = 'system:serviceaccount:camunda:zeebe';
const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';
const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, s));

describe('webIdentityEventOf', () => {
  it('keeps only the fields the audit uses, never the issued credentials', () => {
    const e = webIdentityEventOf(
      JSON.stringify({
        eventTime: '2025-01-01T12:00:05Z',
        userIdentity: {
          type: 'WebIdentityUser',
          principalId: `${PROVIDER}:sts.amazonaws.com:${SUB}`,
          userName: SUB,
          identityProvider: PROVIDER,
        },
        requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/app' },
        responseElements: {
          credentials: { sessionToken: 'IQoJb3JpZ2luX2VjE-secret', accessKeyId: 'ASIA...' },
        },
      }),
      undefined,
    );
    expect(e).toEqual({
      time: at(5),
      subject: SUB,
      provider: PROVIDER,
      roleArn: 'arn:aws:iam::111122223333:role/app',
    });
  });

  it('takes the subject from principalId when userName is missing; refuses what does not parse', () => {
    const e = webIdentityEventOf(
      JSON.stringify({
        eventTime: '2025-01-01T12:00:05Z',
        userIdentity: { principalId: `${PROVIDER}:sts.amazonaws.com:${SUB}` },
        errorCode: 'AccessDenied',
        errorMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      }),
      undefined,
    );
    expect(e).toMatchObject({ subject: SUB, errorCode: 'AccessDenied' });
    expect(webIdentityEventOf('{not json', at(1))).toBeUndefined();
    expect(webIdentityEventOf(undefined, at(1))).toBeUndefined();
  });
});
