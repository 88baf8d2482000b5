// The issuer's discovery document and JWKS, fetched from inside the pod (REFERENCE section 3).
// Node's TLS stack trusts NODE_EXTRA_CA_CERTS, so private issuers work the way the pod's apps see them.
import http from 'node:http';
import https from 'node:https';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import type { ProxyRouter } from '../../lib/proxy/proxy-router.js';
import type { AgentContext } from '../context.js';
import { factFamily } from '../fact.js';
import { openNetworkPath, type PathOutcome } from '../net/network-path.js';

const STEP_MS = 3000;
const MAX_BODY_BYTES = 512 * 1024;

export type FetchFailureKind =
  | 'dns'
  | 'refused'
  | 'closed'
  | 'timeout'
  | 'tls'
  | 'http-status'
  | 'not-json'
  | 'network';

export interface FetchFailure {
  kind: FetchFailureKind;
  url: string;
  /** errno / TLS code / HTTP status, for details */
  code?: string;
  status?: number;
  message: string;
}

export interface OidcDocument {
  issuer?: unknown;
  jwks_uri?: unknown;
  [k: string]: unknown;
}

export type OidcDiscovery = (
  | { ok: true; discoveryUrl: string; document: OidcDocument; jwksUri: string; jwks: { keys: unknown[] } }
  | {
      ok: false;
      stage: 'discovery' | 'jwks';
      discoveryUrl: string;
      document?: OidcDocument;
      failure: FetchFailure;
    }
) & {
  /** The way the last request went (the JWKS, or the one that failed): through a proxy or direct. */
  path: PathOutcome;
};

/** `ISS/.well-known/openid-configuration` with a terminating slash of the issuer removed (OIDC Discovery 4). */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export const oidcDiscovery = factFamily(
  'oidc-discovery',
  (issuer: string) => issuer,
  async (ctx: AgentContext, issuer: string): Promise<OidcDiscovery> => {
    const discoveryUrl = discoveryUrlOf(issuer);
    const doc = await fetchJson(ctx, discoveryUrl);
    if (!doc.ok) return { ok: false, stage: 'discovery', discoveryUrl, failure: doc.failure, path: doc.path };
    if (!isObject(doc.json))
      return {
        ok: false,
        stage: 'discovery',
        discoveryUrl,
        path: doc.path,
        failure: {
          kind: 'not-json',
          url: discoveryUrl,
          message: 'the discovery document is not a JSON object',
        },
      };
    const document = doc.json as OidcDocument;
    const jwksUri = typeof document.jwks_uri === 'string' ? document.jwks_uri : undefined;
    if (!jwksUri)
      return {
        ok: false,
        stage: 'discovery',
        discoveryUrl,
        document,
        failure: { kind: 'not-json', url: discoveryUrl, message: 'the discovery document has no jwks_uri' },
        path: doc.path,
      };
    const keys = await fetchJson(ctx, jwksUri);
    if (!keys.ok)
      return { ok: false, stage: 'jwks', discoveryUrl, document, failure: keys.failure, path: keys.path };
    const jwks = (isObject(keys.json) ? keys.json : {}) as { keys?: unknown };
    if (!Array.isArray(jwks.keys))
      return {
        ok: false,
        stage: 'jwks',
        discoveryUrl,
        document,
        failure: { kind: 'not-json', url: jwksUri, message: 'the JWKS has no "keys" array' },
        path: keys.path,
      };
    return { ok: true, discoveryUrl, document, jwksUri, jwks: { keys: jwks.keys }, path: keys.path };
  },
);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

type Fetched = ({ ok: true; json: unknown } | { ok: false; failure: FetchFailure }) & { path: PathOutcome };

async function fetchJson(ctx: AgentContext, url: string): Promise<Fetched> {
  const ms = ctx.deadline.budget(STEP_MS);
  const open = openNetworkPath(ctx, url, ms);
  const route = open.route;
  if (route.via === 'invalid')
    return {
      ok: false,
      failure: {
        kind: 'network',
        url,
        code: 'ERR_PROXY_INVALID',
        message: `${route.variable} ${route.problem}`,
      },
      path: await open.settle(),
    };
  const fetched = await fetchVia(ctx, url, ms, open.router);
  return { ...fetched, path: await open.settle() };
}

async function fetchVia(
  ctx: AgentContext,
  url: string,
  ms: number,
  router: ProxyRouter,
): Promise<{ ok: true; json: unknown } | { ok: false; failure: FetchFailure }> {
  const abort = new AbortController();
  try {
    const res = await withDeadline(get(url, abort.signal, 3, router), ms, url, ctx.deadline.signal);
    if (res.status !== 200)
      return {
        ok: false,
        failure: {
          kind: 'http-status',
          url,
          status: res.status,
          message: `HTTP ${res.status} ${res.statusText}`.trim(),
        },
      };
    try {
      return { ok: true, json: JSON.parse(res.text) };
    } catch {
      return { ok: false, failure: { kind: 'not-json', url, message: 'the answer is not JSON' } };
    }
  } catch (e) {
    return { ok: false, failure: classify(url, e, ms) };
  } finally {
    // Destroys a socket still connecting or reading, so a silent issuer cannot keep the process alive.
    abort.abort();
  }
}

// node:https rather than fetch: aborting fetch leaves a half-open TLS connect alive until undici's own
// 10 s connect timeout, which would hold the CLI open after the report is written.
function get(
  url: string,
  signal: AbortSignal,
  redirects: number,
  router: ProxyRouter,
): Promise<{ status: number; statusText: string; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'http:' ? http : https;
    const options = { signal, agent: router.agentFor(u), headers: { accept: 'application/json' } };
    const req = mod.get(u, options, (res) => {
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location && redirects > 0) {
        res.destroy();
        // A Location that is no URL is the peer's fault: a rejection, never a throw inside the callback.
        let next: string;
        try {
          next = new URL(res.headers.location, u).toString();
        } catch {
          reject(Object.assign(new Error('the redirect Location is not a URL'), { code: 'EBADREDIRECT' }));
          return;
        }
        get(next, signal, redirects - 1, router).then(resolve, reject);
        return;
      }
      const chunks: Buffer[] = [];
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
        if (n > MAX_BODY_BYTES) {
          req.destroy(
            Object.assign(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`), { code: 'ETOOBIG' }),
          );
          return;
        }
        chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status,
          statusText: res.statusMessage ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Sorts node:https (and fetch/undici) failures into what an operator would check next. */
export function classify(url: string, e: unknown, ms: number): FetchFailure {
  if (e instanceof DeadlineError) return { kind: 'timeout', url, message: `no answer within ${ms} ms` };
  const err = e as { cause?: { code?: string; message?: string }; code?: string; message?: string };
  const cause = err.cause ?? err;
  const code = cause.code ?? err.code;
  const message = cause.message ?? err.message ?? String(e);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return { kind: 'dns', url, code, message };
  if (code === 'ETOOBIG' || code === 'EBADREDIRECT') return { kind: 'not-json', url, code, message };
  if (code === 'ECONNREFUSED') return { kind: 'refused', url, code, message };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT')
    return { kind: 'timeout', url, code, message };
  if (code && /CERT|TLS|SSL|EPROTO|UNABLE_TO_|SELF_SIGNED|ALTNAME/.test(code))
    return { kind: 'tls', url, code, message };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return { kind: 'closed', url, code, message };
  return { kind: 'network', url, ...(code ? { code } : {}), message };
}
