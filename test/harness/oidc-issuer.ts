// The EKS cluster's OIDC issuer on loopback: discovery document + JWKS over HTTPS, and a minter for
// projected service-account tokens with the claim set the kubelet really writes (REFERENCE section 3).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { TestCa } from './tls-ca.js';

export interface MintOptions {
  namespace: string;
  serviceAccount: string;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  /** default ['sts.amazonaws.com'] */
  audience?: string[];
  /** default 86400; negative = already expired */
  expiresInSeconds?: number;
  notBeforeOffsetSeconds?: number;
  issuedAtOffsetSeconds?: number;
  /** overrides the iss claim */
  issuer?: string;
  /** signs with a key the JWKS does not publish (same kid), so only the signature is wrong */
  signWithForeignKey?: boolean;
  extraClaims?: Record<string, unknown>;
}

export interface OidcIssuer {
  /** https://127.0.0.1:PORT/id/ID */
  issuerUrl: string;
  /** issuerUrl without https:// — the IAM OIDC provider URL and trust-policy condition prefix */
  issuerHost: string;
  id: string;
  requests: Array<{ method: string; path: string }>;
  mintToken(opts: MintOptions): Promise<string>;
  /** new signing key; by default the old one leaves the JWKS, so tokens minted before fail */
  rotateKeys(opts?: { keepPrevious?: boolean }): Promise<void>;
  /** '503' answers every request with 503, 'close' drops connections without answering */
  setDown(down: boolean, how?: '503' | 'close'): void;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(20).toString('hex');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' } };
}

export async function startOidcIssuer(opts: { ca: TestCa; id?: string }): Promise<OidcIssuer> {
  const id = opts.id ?? randomBytes(16).toString('hex').toUpperCase();
  let current = await newKey();
  let published: SigningKey[] = [current];
  let foreign: SigningKey | undefined;
  let down: false | '503' | 'close' = false;
  const requests: OidcIssuer['requests'] = [];
  const sockets = new Set<Socket>();

  const leaf = await opts.ca.issue(['127.0.0.1', 'localhost']);
  const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    if (down === 'close') {
      req.socket.destroy();
      return;
    }
    if (down === '503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const send = (body: unknown) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' })
        .end(JSON.stringify(body));
    if (req.method === 'GET' && path === `/id/${id}/.well-known/openid-configuration`) {
      send({
        issuer: issuerUrl,
        jwks_uri: `${issuerUrl}/keys`,
        authorization_endpoint: 'urn:kubernetes:programmatic_authorization',
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        claims_supported: ['sub', 'iss'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (req.method === 'GET' && path === `/id/${id}/keys`) {
      send({ keys: published.map((k) => k.jwk) });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    }
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuerUrl = `https://127.0.0.1:${port}/id/${id}`;

  async function mintToken(o: MintOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const iat = now + (o.issuedAtOffsetSeconds ?? 0);
    if (o.signWithForeignKey && !foreign) foreign = { ...(await newKey()), kid: current.kid };
    const key = o.signWithForeignKey && foreign ? { ...foreign, kid: current.kid } : current;
    const podName = o.podName ?? `${o.serviceAccount}-7d9f8b6c5d-x2k4q`;
    const claims: Record<string, unknown> = {
      aud: o.audience ?? ['sts.amazonaws.com'],
      iat,
      nbf: iat + (o.notBeforeOffsetSeconds ?? 0),
      exp: now + (o.expiresInSeconds ?? 86400),
      iss: o.issuer ?? issuerUrl,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: o.namespace,
        node: { name: o.nodeName ?? 'ip-10-0-1-23.eu-west-1.compute.internal', uid: randomUUID() },
        pod: { name: podName, uid: o.podUid ?? randomUUID() },
        serviceaccount: { name: o.serviceAccount, uid: randomUUID() },
      },
      sub: `system:serviceaccount:${o.namespace}:${o.serviceAccount}`,
      ...o.extraClaims,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  }

  return {
    issuerUrl,
    issuerHost: issuerUrl.slice('https://'.length),
    id,
    requests,
    mintToken,
    async rotateKeys(r = {}) {
      const next = await newKey();
      published = r.keepPrevious ? [...published, next] : [next];
      current = next;
    },
    setDown(d, how = '503') {
      down = d ? how : false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
