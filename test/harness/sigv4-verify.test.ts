import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Signer } from '@aws-sdk/rds-signer';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import { IamAccount } from './iam.js';
import { canonicalUri, type SignedRequest, verifySigV4 } from './sigv4-verify.js';

class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

function setup() {
  const iam = new IamAccount();
  const roleArn = iam.roleArn('app');
  iam.addRole({ arn: roleArn, trustPolicy: { Statement: [] }, policies: [] });
  const creds = iam.issueCredentials(roleArn, 'sess', 'web-identity');
  const sdkCreds = {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
  };
  return { iam, creds, sdkCreds };
}

async function smithySigned(
  sdkCreds: Record<string, string | undefined>,
  path = '/',
  body = 'Action=GetCallerIdentity&Version=2011-06-15',
) {
  const signer = new SignatureV4({
    service: 'sts',
    region: 'eu-west-1',
    credentials: sdkCreds as never,
    sha256: Sha256 as never,
  });
  const [p, q] = path.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q ?? '')) {
    const prev = query[k];
    query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4444,
    path: p,
    query,
    headers: { host: '127.0.0.1:4444', 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { method: 'POST', path, headers: signed.headers, body } satisfies SignedRequest;
}

describe('verifySigV4', () => {
  it('accepts a request signed by @smithy/signature-v4', async () => {
    const { iam, creds, sdkCreds } = setup();
    const r = verifySigV4(await smithySigned(sdkCreds), iam);
    expect(r).toMatchObject({
      ok: true,
      region: 'eu-west-1',
      service: 'sts',
      accessKeyId: creds.accessKeyId,
    });
  });

  it('accepts paths and queries that need re-encoding, from both signers', async () => {
    const { iam, sdkCreds } = setup();
    const path = '/my%20index/_doc/a(b)*!?q=x%20y&a=1&a=0&empty=';
    expect(verifySigV4(await smithySigned(sdkCreds, path), iam).ok).toBe(true);
    const opts = aws4.sign(
      { host: '127.0.0.1', method: 'GET', path, service: 'es', region: 'eu-west-1', headers: {} },
      sdkCreds as { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
    );
    const r = verifySigV4(
      { method: 'GET', path: opts.path as string, headers: opts.headers as Record<string, string> },
      iam,
    );
    expect(r).toMatchObject({ ok: true, service: 'es' });
  });

  it('accepts a request signed by aws4 with a body', () => {
    const { iam, sdkCreds } = setup();
    const body = JSON.stringify({ query: { match_all: {} } });
    const opts = aws4.sign(
      {
        host: 'search.local',
        method: 'POST',
        path: '/idx/_search',
        service: 'es',
        region: 'eu-west-1',
        body,
        headers: { 'Content-Type': 'application/json' },
      },
      sdkCreds as { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
    );
    const req = {
      method: 'POST',
      path: '/idx/_search',
      headers: opts.headers as Record<string, string>,
      body,
    };
    expect(verifySigV4(req, iam)).toMatchObject({ ok: true, region: 'eu-west-1', service: 'es' });
    expect(verifySigV4({ ...req, body: `${body} ` }, iam)).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('accepts an @aws-sdk/rds-signer token and rejects it once expired', async () => {
    const { iam, sdkCreds, creds } = setup();
    const signer = new Signer({
      hostname: '127.0.0.1',
      port: 5432,
      region: 'eu-west-1',
      username: 'app',
      credentials: sdkCreds as never,
    });
    const token = await signer.getAuthToken();
    expect(token.startsWith('127.0.0.1:5432/?Action=connect&DBUser=app&')).toBe(true);
    const req = { method: 'GET', path: token.slice(token.indexOf('/')), headers: { host: '127.0.0.1:5432' } };
    const r = verifySigV4(req, iam);
    expect(r).toMatchObject({
      ok: true,
      service: 'rds-db',
      region: 'eu-west-1',
      credentials: { roleArn: creds.roleArn },
    });
    if (r.ok) expect(r.expiresInSeconds).toBeGreaterThan(890);
    expect(verifySigV4(req, iam, new Date(Date.now() + 16 * 60_000))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifySigV4({ ...req, headers: { host: '127.0.0.1:5433' } }, iam)).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
    expect(verifySigV4({ ...req, path: req.path.replace('DBUser=app', 'DBUser=admin') }, iam)).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('names the failure', async () => {
    const { iam, sdkCreds } = setup();
    const good = await smithySigned(sdkCreds);
    expect(verifySigV4({ ...good, body: 'Action=GetCallerIdentity&Version=2011-06-16' }, iam)).toMatchObject({
      reason: 'signature-mismatch',
    });
    expect(verifySigV4({ ...good, path: '/x' }, iam)).toMatchObject({ reason: 'signature-mismatch' });
    expect(verifySigV4({ ...good, headers: { ...good.headers, host: 'evil:1' } }, iam)).toMatchObject({
      reason: 'signature-mismatch',
    });
    const wrongSecret = await smithySigned({ ...sdkCreds, secretAccessKey: 'x'.repeat(40) });
    expect(verifySigV4(wrongSecret, iam)).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
      region: 'eu-west-1',
    });
    const wrongToken = await smithySigned({ ...sdkCreds, sessionToken: 'nope' });
    expect(verifySigV4(wrongToken, iam)).toMatchObject({ ok: false, reason: 'token-mismatch' });
    const unknown = await smithySigned({ ...sdkCreds, accessKeyId: 'ASIAUNKNOWN000000000' });
    expect(verifySigV4(unknown, iam)).toMatchObject({
      ok: false,
      reason: 'unknown-key',
      accessKeyId: 'ASIAUNKNOWN000000000',
    });
    expect(verifySigV4(good, iam, new Date(Date.now() + 20 * 60_000))).toMatchObject({
      ok: false,
      reason: 'clock-skew',
    });
    expect(verifySigV4({ ...good, headers: { host: 'h' } }, iam)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(
      verifySigV4(
        { ...good, headers: { ...good.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } },
        iam,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('builds canonical URIs like the SDKs', () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('/a//b/./c/../d/')).toBe('/a/b/d/');
    expect(canonicalUri('/my%20index')).toBe('/my%2520index');
  });
});
