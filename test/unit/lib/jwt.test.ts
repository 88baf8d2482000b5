import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  decodeToken,
  isoOfSeconds,
  MAX_NUMERIC_DATE_SECONDS,
  normaliseClaims,
} from '../../../src/lib/jwt.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('decodeToken', () => {
  it('decodes a signed JWT and normalises aud and the kubernetes.io claim', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({
      aud: 'sts.amazonaws.com',
      sub: 'system:serviceaccount:ns:sa',
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'sa', uid: 'u1' }, pod: { name: 'p' } },
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://issuer')
      .setExpirationTime('1h')
      .sign(privateKey);
    const d = decodeToken(jwt);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.header).toMatchObject({ alg: 'RS256', kid: 'k1' });
    expect(d.claims.aud).toEqual(['sts.amazonaws.com']);
    expect(d.claims.kubernetes).toEqual({
      namespace: 'ns',
      serviceaccount: { name: 'sa', uid: 'u1' },
      pod: { name: 'p', uid: undefined },
      node: undefined,
    });
    expect(d.claims['kubernetes.io']).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['\u0000\u0001binary', 'binary'],
    ['abc.def', '3 dot-separated parts'],
    ['a.b.c.d.e', 'JWE'],
    [`${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.`, 'no signature'],
    [`${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.si g`, 'base64url'],
    [`${b64({ alg: 'RS256' })}.bm90IGpzb24.c2ln`, 'payload'],
    [`bm90IGpzb24.${b64({ sub: 'x' })}.c2ln`, 'header'],
    [`${b64(['RS256'])}.${b64({ sub: 'x' })}.c2ln`, 'header is JSON but an array'],
    [`${b64({ alg: 'RS256' })}.${b64([{ sub: 'x' }])}.c2ln`, 'payload is JSON but an array'],
    [`${b64({ alg: 'RS256' })}.${b64('claims')}.c2ln`, 'payload is JSON but a string'],
    [`${b64({ alg: 'RS256' })}.${b64(null)}.c2ln`, 'payload is JSON but null'],
    [`${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.c2ln`, 'alg "none"'],
    [`${b64({ kid: 'k' })}.${b64({ sub: 'x' })}.c2ln`, 'no signing algorithm'],
  ])('rejects %j (%s) without echoing it', (text, why) => {
    const d = decodeToken(text);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.detail).toContain(why);
  });
});

describe('normaliseClaims', () => {
  it('drops wrongly typed registered claims and says why, without their values', () => {
    expect(normaliseClaims({ iss: 1, exp: 'soon', aud: ['a', 2], sub: 's' })).toEqual({
      aud: ['a'],
      sub: 's',
      unusable: { iss: 'a number, not a string', exp: 'a string, not a NumericDate (seconds since 1970)' },
    });
  });
  it.each([9e12, 1e308, -9e12])('calls exp %s unusable: no Date holds it', (exp) => {
    const c = normaliseClaims({ exp });
    expect(c.exp).toBeUndefined();
    expect(c.unusable?.exp).toContain('past any date');
  });
  it('keeps the largest exp a Date holds', () => {
    expect(normaliseClaims({ exp: MAX_NUMERIC_DATE_SECONDS }).exp).toBe(MAX_NUMERIC_DATE_SECONDS);
  });
  it('names an aud that holds no string', () => {
    expect(normaliseClaims({ aud: [1, 2] }).unusable?.aud).toBe('an array without a single string');
    expect(normaliseClaims({ aud: { a: 1 } }).unusable?.aud).toContain('an object');
  });
  it('does not let a payload key named unusable pose as the verdict', () => {
    expect(normaliseClaims({ unusable: { exp: 'x' }, exp: 1 }).unusable).toBeUndefined();
  });
});

describe('isoOfSeconds', () => {
  it('returns undefined instead of throwing for dates no Date holds', () => {
    expect(isoOfSeconds(9e12)).toBeUndefined();
    expect(isoOfSeconds(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
