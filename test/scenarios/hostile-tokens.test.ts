// Token files a hostile or careless hand wrote: claims no Date can hold, JSON that is not an object,
// claims of the wrong kind, unsigned tokens, tokens without a key id. Each is a precise finding from the
// check that reads it, never a crashed check (issue 9).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa, type TestCa } from '../harness/tls-ca.js';
import { type AltIssuer, startAltIssuer } from '../peers/identity-peers.js';
import { expectComposed, runHostile } from '../support/run-hostile.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: 'https://oidc.eks.us-west-2.amazonaws.com/id/HOSTILE',
  sub: 'system:serviceaccount:ns:sa',
  aud: ['sts.amazonaws.com'],
  iat: now() - 60,
  exp: now() + 3600,
  ...over,
});
/** A compact JWS whose parts are exactly these JSON values; the signature is not checked here. */
const craft = (header: unknown, payload: unknown) => `${b64(header)}.${b64(payload)}.c2lnbmF0dXJl`;
const RS256 = { alg: 'RS256', kid: 'k1' };

const TOKEN_CHECKS = ['--only', 'token-file,token-claims'];

describe('hostile token files', () => {
  let dir: string;
  let closed: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-tokens-'));
    closed = await closedPort();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function env(token: string, extra: Record<string, string> = {}): Record<string, string> {
    const file = join(dir, `token-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, token);
    return {
      HOME: dir,
      AWS_REGION: 'us-west-2',
      AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/app',
      AWS_WEB_IDENTITY_TOKEN_FILE: file,
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${closed}`,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${closed}`,
      ...extra,
    };
  }

  for (const exp of [9e12, 1e308]) {
    it(`exp ${exp} (finite, past what a Date holds): TOKEN-CLAIMS-INCOMPLETE, not a RangeError`, async () => {
      const run = await runHostile(env(craft(RS256, claims({ exp }))), TOKEN_CHECKS);
      expectComposed(run);
      expect(run.check('token-claims')?.status).toBe('fail');
      const f = run.finding('TOKEN-CLAIMS-INCOMPLETE');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain('its exp is');
      expect(f?.message).toContain('past any date a clock can hold');
      expect(f?.details).toMatchObject({ unusable: { exp: expect.stringContaining('seconds') } });
      expect(run.code).toBe(1);
    });
  }

  it('iat and nbf past what a Date holds do not crash the claims check either', async () => {
    const run = await runHostile(env(craft(RS256, claims({ iat: 9e12, nbf: -1e308 }))), TOKEN_CHECKS);
    expectComposed(run);
    expect(run.check('token-claims')?.status).not.toBe('error');
  });

  it('exp as a string: says the exp is a string, not that there is none', async () => {
    const run = await runHostile(env(craft(RS256, claims({ exp: String(now() + 3600) }))), TOKEN_CHECKS);
    expectComposed(run);
    const f = run.finding('TOKEN-CLAIMS-INCOMPLETE');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('its exp is a string, not a NumericDate');
    expect(f?.message).not.toContain('has no exp');
    expect(run.code).toBe(1);
  });

  it('a JSON array as payload: TOKEN-MALFORMED naming the array, not "not base64url-encoded JSON"', async () => {
    const run = await runHostile(env(craft(RS256, [claims()])), TOKEN_CHECKS);
    expectComposed(run);
    const f = run.finding('TOKEN-MALFORMED');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ detail: expect.stringContaining('payload is JSON but an array') });
    expect(f?.message).not.toContain('base64url-encoded');
    expect(run.finding('TOKEN-CLAIMS-SKIPPED')?.status).toBe('skip');
    expect(run.code).toBe(1);
  });

  it('a JSON array as header: TOKEN-MALFORMED naming the array', async () => {
    const run = await runHostile(env(craft(['RS256'], claims())), TOKEN_CHECKS);
    expectComposed(run);
    expect(run.finding('TOKEN-MALFORMED')?.details).toMatchObject({
      detail: expect.stringContaining('header is JSON but an array'),
    });
    expect(run.code).toBe(1);
  });

  it('alg "none" with a signature part: TOKEN-MALFORMED (unsigned), and no signature verdict', async () => {
    const run = await runHostile(env(craft({ alg: 'none' }, claims())), [
      '--only',
      'token-file,token-claims,oidc',
    ]);
    expectComposed(run);
    const f = run.finding('TOKEN-MALFORMED');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('alg "none"');
    expect(run.finding('OIDC-SIGNATURE-INVALID')).toBeUndefined();
    expect(run.finding('OIDC-SKIPPED')?.status).toBe('skip');
    expect(run.code).toBe(1);
  });

  describe('against an issuer on loopback', () => {
    let ca: TestCa;
    let issuer: AltIssuer;
    let other: Awaited<ReturnType<typeof generateKeyPair>>;
    beforeAll(async () => {
      ca = await createTestCa();
      const tls = await ca.issue(['127.0.0.1']);
      const published = await generateKeyPair('RS256');
      other = await generateKeyPair('RS256');
      issuer = await startAltIssuer({ jwk: { ...(await exportJWK(published.publicKey)), kid: 'pub' }, tls });
    });
    afterAll(async () => {
      await issuer?.close();
      ca?.cleanup();
    });

    it('a token without kid that the issuer did not sign: OIDC-SIGNATURE-INVALID says there is no kid', async () => {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(issuer.iss)
        .setSubject('system:serviceaccount:ns:sa')
        .setAudience('sts.amazonaws.com')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(other.privateKey);
      const run = await runHostile(env(token, { NODE_EXTRA_CA_CERTS: ca.caFile }), ['--only', 'oidc']);
      expectComposed(run);
      const f = run.finding('OIDC-SIGNATURE-INVALID');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain('names no key (kid)');
      expect(f?.message).not.toContain('undefined');
      expect(run.code).toBe(1);
    });
  });
});
