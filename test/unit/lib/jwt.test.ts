import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeToken, normaliseClaims } from '../../../src/lib/jwt.js';

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
  ])('rejects %j (%s) without echoing it', (text, why) => {
    const d = decodeToken(text);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.detail).toContain(why);
  });
});

describe('normaliseClaims', () => {
  it('drops wrongly typed registered claims', () => {
    expect(normaliseClaims({ iss: 1, exp: 'soon', aud: ['a', 2], sub: 's' })).toEqual({
      aud: ['a'],
      sub: 's',
    });
  });
});
