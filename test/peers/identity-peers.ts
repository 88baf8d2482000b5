// Deliberately different loopback peers (STS, IMDS, Pod Identity agent) written from REFERENCE alone,
// independent of test/harness/: other element orders, namespaces, optional <Type>, RequestId placement,
// plain-text and JSON error bodies. They do not verify signatures; they exist to vary the wire so the
// agent's diagnosis is shown to key on what the real peers say, not on our harness's wording.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const ACCOUNT = '210987654321';
export const NODE_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/eks-node-role/i-0abcd1234ef567890`;

export interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}
/** 'hang': accept and never answer; 'close': destroy the socket without answering. */
export type Answer = Reply | 'hang' | 'close';

export interface Peer {
  url: string;
  requests: Array<{
    method: string;
    path: string;
    params: URLSearchParams;
    headers: IncomingMessage['headers'];
  }>;
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, body: string) => Answer): Promise<Peer> {
  const sockets = new Set<Socket>();
  const requests: Peer['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      requests.push({
        method: req.method ?? 'GET',
        path: u.pathname,
        params: new URLSearchParams(req.method === 'POST' ? body : u.search),
        headers: req.headers,
      });
      const a = handler(req, body);
      if (a === 'hang') return;
      if (a === 'close') return req.socket.destroy();
      res.writeHead(a.status, a.headers ?? {}).end(a.body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

const rid = () => `${randomBytes(4).toString('hex')}-aaaa-bbbb-cccc-${randomBytes(6).toString('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const xml = (status: number, body: string): Reply => ({
  status,
  body,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': rid() },
});

/** Access key ids tell the caller-identity answer which credentials signed the call. */
export const KEY = { web: 'ASIAALTWEBIDENTITY01', node: 'ASIAALTNODEROLE00001', pod: 'ASIAALTPODIDENTITY01' };

/** An STS error body; `style` varies what REFERENCE leaves open. */
export function stsError(
  status: number,
  code: string,
  message: string,
  style: 'typed' | 'untyped' | 'rid-inside' = 'typed',
): Reply {
  const type = style === 'typed' ? `<Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` : '';
  const inner = style === 'rid-inside' ? `<RequestId>${rid()}</RequestId>` : '';
  const outer = style === 'rid-inside' ? '' : `<RequestId>${rid()}</RequestId>`;
  return xml(
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Code>${code}</Code><Message>${message}</Message>${type}${inner}</Error>${outer}</ErrorResponse>`,
  );
}

function assumeOk(roleArn: string, session: string): Reply {
  const name = roleArn.split('/').pop() ?? 'role';
  // ResponseMetadata first, Credentials last: the SDK must not care about order.
  return xml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><ResponseMetadata><RequestId>${rid()}</RequestId></ResponseMetadata>
<AssumeRoleWithWebIdentityResult><Provider>arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example</Provider><Audience>sts.amazonaws.com</Audience>
<AssumedRoleUser><AssumedRoleId>AROAALTROLE:${session}</AssumedRoleId><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}</Arn></AssumedRoleUser>
<SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
<Credentials><Expiration>${iso(Date.now() + 3600_000)}</Expiration><SessionToken>FQoGZXIvYXdzEALT${randomBytes(24).toString('hex')}</SessionToken><SecretAccessKey>altsecret${randomBytes(12).toString('hex')}</SecretAccessKey><AccessKeyId>${KEY.web}</AccessKeyId></Credentials>
</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
  );
}

function callerIdentity(arn: string): Reply {
  return xml(
    200,
    `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Account>${ACCOUNT}</Account><UserId>AROAALT:x</UserId><Arn>${arn}</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>${rid()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

export interface AltStsOptions {
  /** How AssumeRoleWithWebIdentity is answered; default: credentials for the asked role. */
  assume?: (p: URLSearchParams) => Answer;
  /** The caller ARN per signing key; default: the web identity role's session for KEY.web. */
  caller?: (accessKeyId: string, lastRoleArn: string) => string;
}

export function startAltSts(o: AltStsOptions = {}): Promise<Peer> {
  let lastRole = `arn:aws:iam::${ACCOUNT}:role/app`;
  return serve((req, body) => {
    const p = new URLSearchParams(body);
    const action = p.get('Action');
    if (action === 'AssumeRoleWithWebIdentity') {
      lastRole = p.get('RoleArn') ?? lastRole;
      return o.assume ? o.assume(p) : assumeOk(lastRole, p.get('RoleSessionName') ?? 's');
    }
    if (action === 'GetCallerIdentity') {
      const akid = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const role = lastRole.split('/').pop();
      const arn = o.caller
        ? o.caller(akid, lastRole)
        : akid === KEY.node
          ? NODE_ARN
          : `arn:aws:sts::${ACCOUNT}:assumed-role/${akid === KEY.pod ? 'pod-role' : role}/s`;
      return callerIdentity(arn);
    }
    return stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  });
}

export type ImdsVariant = 'v1-and-v2' | 'hop-limit-v1-401' | 'hop-limit-v1-ok' | 'close';

export function startAltImds(variant: ImdsVariant): Promise<Peer> {
  const token = `AQAEALT${randomBytes(16).toString('hex')}`;
  return serve((req) => {
    if (variant === 'close') return 'close';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hop = variant.startsWith('hop-limit');
    if (req.method === 'PUT' && path === '/latest/api/token') return hop ? 'hang' : text(200, token);
    const withToken = req.headers['x-aws-ec2-metadata-token'] === token;
    if (!withToken && variant === 'hop-limit-v1-401') return text(401, '');
    if (path === '/latest/meta-data/iam/security-credentials/') return text(200, 'eks-node-role');
    if (path === '/latest/meta-data/iam/security-credentials/eks-node-role')
      return text(
        200,
        JSON.stringify({
          Code: 'Success',
          LastUpdated: iso(Date.now()),
          Type: 'AWS-HMAC',
          AccessKeyId: KEY.node,
          SecretAccessKey: `nodesecret${randomBytes(10).toString('hex')}`,
          Token: `nodetoken${randomBytes(20).toString('hex')}`,
          Expiration: iso(Date.now() + 6 * 3600_000),
        }),
      );
    return text(404, '');
  });
}

export type PodIdVariant =
  | 'ok'
  | 'bad-request-text'
  | 'access-denied-json'
  | 'close'
  | 'hang'
  | 'server-error-json';

export function startAltPodIdentity(variant: PodIdVariant): Promise<Peer> {
  return serve(() => {
    if (variant === 'close' || variant === 'hang') return variant;
    if (variant === 'server-error-json')
      return {
        status: 500,
        body: '{"Code":"InternalError","Message":"Internal Server Error"}',
        headers: { 'content-type': 'application/json' },
      };
    if (variant === 'bad-request-text') return text(400, 'invalid token: token is malformed');
    if (variant === 'access-denied-json')
      return {
        status: 403,
        body: '{"Message":"Access Denied"}',
        headers: { 'content-type': 'application/json' },
      };
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        AccessKeyId: KEY.pod,
        SecretAccessKey: `podsecret${randomBytes(10).toString('hex')}`,
        Token: `podtoken${randomBytes(20).toString('hex')}`,
        AccountId: ACCOUNT,
        Expiration: iso(Date.now() + 6 * 3600_000),
      }),
    };
  });
}

function text(status: number, body: string): Reply {
  return { status, body, headers: { 'content-type': 'text/plain' } };
}

export interface AltIssuer {
  /** the exact `iss` tokens carry (http or https, with or without a trailing slash) */
  iss: string;
  close(): Promise<void>;
}

/**
 * An OIDC issuer at `/id/ALT` that serves discovery and JWKS, over plain HTTP (`tls` absent) or HTTPS,
 * with `iss` optionally ending in a slash. `jwks` 'missing' answers 404 for the key set.
 */
export async function startAltIssuer(o: {
  jwk: Record<string, unknown>;
  tls?: { certPem: string; keyPem: string };
  trailingSlash?: boolean;
  jwks?: 'ok' | 'missing';
}): Promise<AltIssuer> {
  const { createServer: createHttps } = await import('node:https');
  let iss = '';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/{2,}/g, '/');
    if (path === '/id/ALT/.well-known/openid-configuration')
      return res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(
        JSON.stringify({
          issuer: iss,
          jwks_uri: `${iss.replace(/\/$/, '')}/keys`,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'iss'],
        }),
      );
    if (path === '/id/ALT/keys' && o.jwks !== 'missing')
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [{ ...o.jwk, use: 'sig', alg: 'RS256' }] }));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  };
  const server = o.tls
    ? createHttps({ cert: o.tls.certPem, key: o.tls.keyPem }, handler)
    : createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  iss = `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}/id/ALT${o.trailingSlash ? '/' : ''}`;
  return {
    iss,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
