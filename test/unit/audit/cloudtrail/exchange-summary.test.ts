import { describe, expect, it } from 'vitest';
import { summariseExchanges } from '../../../../src/audit/cloudtrail/exchange-summary.js';

const SUB = 'system:serviceaccount:camunda:zeebe';
const HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;
const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, s));

describe('summariseExchanges', () => {
  const ev = (s: number, o: { code?: string; sub?: string; provider?: string } = {}) => ({
    time: at(s),
    subject: o.sub ?? SUB,
    provider: o.provider ?? PROVIDER,
    roleArn: 'arn:aws:iam::111122223333:role/app',
    ...(o.code ? { errorCode: o.code, errorMessage: `${o.code} said` } : {}),
  });

  it('groups both spellings of a code, newest group first, and knows whether a grant came after', () => {
    const s = summariseExchanges(
      [
        ev(9),
        ev(8, { code: 'InvalidIdentityTokenException' }),
        ev(7, { code: 'AccessDenied' }),
        ev(6, { code: 'InvalidIdentityToken' }),
        ev(5, { code: 'AccessDenied', sub: 'system:serviceaccount:camunda:other' }),
      ],
      SUB,
      HOST,
    );
    expect(s.codes.map((g) => [g.code, g.count])).toEqual([
      ['InvalidIdentityToken', 2],
      ['AccessDenied', 1],
    ]);
    expect(s).toMatchObject({ exchanges: 4, failures: 3, grantedSinceNewestFailure: true });
    expect(s.newestFailure).toMatchObject({
      code: 'InvalidIdentityToken',
      message: 'InvalidIdentityTokenException said',
    });
  });

  it('within one second, the order the service answered in says which is newest', () => {
    const s = summariseExchanges([ev(5, { code: 'AccessDenied' }), ev(5)], SUB, HOST);
    expect(s.grantedSinceNewestFailure).toBe(false);
  });

  it("leaves out another cluster's ServiceAccount of the same name", () => {
    const s = summariseExchanges(
      [
        ev(5, {
          code: 'AccessDenied',
          provider: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OLD',
        }),
      ],
      SUB,
      HOST,
    );
    expect(s).toMatchObject({ exchanges: 0, failures: 0, otherIssuers: 1 });
  });
});
