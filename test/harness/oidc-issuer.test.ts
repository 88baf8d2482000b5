import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsGet } from './http-util.js';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.js';
import { createTestCa, type TestCa } from './tls-ca.js';

let ca: TestCa;
let issuer: OidcIssuer;
beforeAll(async () => {
  ca = await createTestCa();
  issuer = await startOidcIssuer({ ca, id: 'ABC123' });
});
afterAll(async () => {
  await issuer?.close();
  ca?.cleanup();
});

const getJson = async (url: string) => {
  const r = await tlsGet(url, ca.caCertPem, 2000);
  return { ...r, json: r.status === 200 ? JSON.parse(r.body) : undefined };
};

describe('OIDC issuer', () => {
  it('serves discovery and JWKS over TLS from the test CA', async () => {
    expect(issuer.issuerUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/id\/ABC123$/);
    expect(issuer.issuerHost).toBe(issuer.issuerUrl.slice(8));
    const d = await getJson(`${issuer.issuerUrl}/.well-known/openid-configuration`);
    expect(d.authorized).toBe(true);
    expect(d.topThumbprint).toBe(ca.thumbprint);
    expect(d.json).toMatchObject({
      issuer: issuer.issuerUrl,
      jwks_uri: `${issuer.issuerUrl}/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
    });
    const k = await getJson(`${issuer.issuerUrl}/keys`);
    expect(k.json.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect((await getJson(`${issuer.issuerUrl}/other`)).status).toBe(404);
  });

  it('mints tokens with the EKS claim set that verify against its JWKS', async () => {
    const token = await issuer.mintToken({
      namespace: 'camunda',
      serviceAccount: 'zeebe-sa',
      podName: 'zeebe-0',
    });
    const jwks = (await getJson(`${issuer.issuerUrl}/keys`)).json;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: issuer.issuerUrl,
      audience: 'sts.amazonaws.com',
    });
    expect(payload.sub).toBe('system:serviceaccount:camunda:zeebe-sa');
    expect(payload.aud).toEqual(['sts.amazonaws.com']);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(86400);
    expect(payload['kubernetes.io']).toMatchObject({
      namespace: 'camunda',
      pod: { name: 'zeebe-0' },
      serviceaccount: { name: 'zeebe-sa' },
    });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });

    const expired = decodeJwt(
      await issuer.mintToken({ namespace: 'a', serviceAccount: 'b', expiresInSeconds: -10, audience: ['x'] }),
    );
    expect((expired.exp ?? 0) * 1000).toBeLessThan(Date.now());
    expect(expired.aud).toEqual(['x']);
    const foreign = await issuer.mintToken({ namespace: 'a', serviceAccount: 'b', signWithForeignKey: true });
    await expect(jwtVerify(foreign, createLocalJWKSet(jwks))).rejects.toThrow(/signature/i);
  });

  it('can rotate keys and go down', async () => {
    const before = (await getJson(`${issuer.issuerUrl}/keys`)).json.keys[0].kid;
    await issuer.rotateKeys({ keepPrevious: true });
    const kids = (await getJson(`${issuer.issuerUrl}/keys`)).json.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toHaveLength(2);
    expect(kids[0]).toBe(before);
    issuer.setDown(true);
    expect((await getJson(`${issuer.issuerUrl}/keys`)).status).toBe(503);
    issuer.setDown(true, 'close');
    await expect(getJson(`${issuer.issuerUrl}/keys`)).rejects.toThrow();
    issuer.setDown(false);
    expect((await getJson(`${issuer.issuerUrl}/keys`)).status).toBe(200);
  });
});
