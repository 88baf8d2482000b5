import { describe, expect, it } from 'vitest';
import { analyseClaims, type ClaimExpectations } from '../../../../src/agent/token/token-claims-check.js';
import type { TokenClaims } from '../../../../src/lib/jwt.js';

const NOW = 1_800_000_000;
const good = (over: Partial<TokenClaims> = {}): TokenClaims => ({
  iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
  sub: 'system:serviceaccount:camunda:zeebe',
  aud: ['sts.amazonaws.com'],
  iat: NOW - 600,
  nbf: NOW - 600,
  exp: NOW + 86_000,
  kubernetes: { namespace: 'camunda', serviceaccount: { name: 'zeebe' }, pod: { name: 'p' } },
  ...over,
});
const expect_ = (over: Partial<ClaimExpectations> = {}): ClaimExpectations => ({
  mechanism: 'irsa',
  envVar: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  audiences: ['sts.amazonaws.com'],
  nowSeconds: NOW,
  pod: { dir: '/sa' },
  ...over,
});
const codes = (c: TokenClaims, x = expect_()) => analyseClaims(c, x).map((f) => `${f.code}:${f.status}`);

describe('analyseClaims', () => {
  it('names a claim that is present but unusable apart from one that is absent', () => {
    const [f] = analyseClaims(
      { ...good(), exp: undefined, iss: undefined, unusable: { exp: 'a string, not a NumericDate' } },
      expect_(),
    );
    expect(f).toMatchObject({
      code: 'TOKEN-CLAIMS-INCOMPLETE',
      status: 'fail',
      details: { absent: ['iss'], unusable: { exp: 'a string, not a NumericDate' } },
    });
    expect(f?.message).toContain('has no iss claim and its exp is a string, not a NumericDate');
  });

  it('never throws for dates past what a Date holds', () => {
    expect(() => analyseClaims(good({ iat: 9e12, nbf: -9e12 }), expect_())).not.toThrow();
  });

  it('passes a fresh token for the right audience and subject', () => {
    expect(codes(good())).toEqual(['TOKEN-CLAIMS-OK:pass']);
  });

  it('fails an expired token, at exp exactly too', () => {
    expect(codes(good({ exp: NOW - 1 }))).toEqual(['TOKEN-EXPIRED:fail']);
    expect(codes(good({ exp: NOW }))).toEqual(['TOKEN-EXPIRED:fail']);
  });

  it('fails nbf or iat beyond the skew allowance, forgives a minute', () => {
    expect(codes(good({ nbf: NOW + 3600 }))).toEqual(['TOKEN-EXPIRED:fail']);
    expect(codes(good({ iat: NOW + 3600, nbf: undefined }))).toEqual(['TOKEN-EXPIRED:fail']);
    expect(codes(good({ nbf: NOW + 30, iat: NOW + 30 }))).toEqual(['TOKEN-CLAIMS-OK:pass']);
  });

  it('warns when the kubelet should already have replaced the token', () => {
    // 24 h token issued 22 h ago: the kubelet refreshes after 19.2 h.
    expect(codes(good({ iat: NOW - 22 * 3600, nbf: NOW - 22 * 3600, exp: NOW + 2 * 3600 }))).toEqual([
      'TOKEN-STALE:warn',
    ]);
    // 1 h token issued 40 min ago: refresh at 48 min, not yet.
    expect(codes(good({ iat: NOW - 2400, nbf: NOW - 2400, exp: NOW + 1200 }))).toEqual([
      'TOKEN-CLAIMS-OK:pass',
    ]);
  });

  it('checks the audience per mechanism and honours --audience', () => {
    expect(codes(good({ aud: ['https://kubernetes.default.svc'] }))).toEqual(['TOKEN-AUDIENCE:fail']);
    expect(codes(good({ aud: ['camunda'] }), expect_({ audiences: ['camunda'] }))).toEqual([
      'TOKEN-CLAIMS-OK:pass',
    ]);
    expect(codes(good(), expect_({ audiences: ['camunda'] }))).toEqual(['TOKEN-AUDIENCE:fail']);
    const pi = expect_({ mechanism: 'pod-identity', audiences: ['pods.eks.amazonaws.com'] });
    expect(codes(good({ aud: ['pods.eks.amazonaws.com'] }), pi)).toEqual(['TOKEN-CLAIMS-OK:pass']);
    const [f] = analyseClaims(good(), pi);
    expect(f?.code).toBe('TOKEN-AUDIENCE');
    expect(f?.remediation).toContain('pods.eks.amazonaws.com');
  });

  it('checks the subject against the claim, the pod API token and the namespace file', () => {
    expect(codes(good({ sub: 'zeebe' }))).toEqual(['TOKEN-SUBJECT:fail']);
    expect(codes(good({ sub: 'system:serviceaccount:camunda:admin' }))).toEqual(['TOKEN-SUBJECT:fail']);
    const other = {
      dir: '/sa',
      subject: 'system:serviceaccount:camunda:operate',
      serviceAccount: 'operate',
      namespace: 'camunda',
    };
    expect(codes(good(), expect_({ pod: other }))).toEqual(['TOKEN-SUBJECT:fail']);
    expect(codes(good(), expect_({ pod: { dir: '/sa', namespace: 'other' } }))).toEqual([
      'TOKEN-SUBJECT:fail',
    ]);
    const same = {
      dir: '/sa',
      subject: 'system:serviceaccount:camunda:zeebe',
      serviceAccount: 'zeebe',
      namespace: 'camunda',
    };
    expect(codes(good(), expect_({ pod: same }))).toEqual(['TOKEN-CLAIMS-OK:pass']);
  });

  it('reports several problems at once', () => {
    expect(codes(good({ exp: NOW - 5, aud: ['x'], sub: 'system:serviceaccount:a:b' }))).toEqual([
      'TOKEN-EXPIRED:fail',
      'TOKEN-AUDIENCE:fail',
      'TOKEN-SUBJECT:fail',
    ]);
  });

  it('fails a token without the claims STS needs', () => {
    expect(codes({ sub: 's', aud: [] })).toEqual(['TOKEN-CLAIMS-INCOMPLETE:fail']);
  });

  it('puts claims in details, never the token', () => {
    const [f] = analyseClaims(good(), expect_());
    expect(f?.details?.claims).toMatchObject({
      sub: 'system:serviceaccount:camunda:zeebe',
      namespace: 'camunda',
      pod: 'p',
    });
  });
});
