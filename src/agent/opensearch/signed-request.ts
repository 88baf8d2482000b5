// One SigV4-signed request through the real OpenSearch client, the way Camunda's exporter signs: the client's
// AwsSigv4Signer (aws4 underneath). TLS is verified with Node's trust store, which NODE_EXTRA_CA_CERTS extends.

import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Client } from '@opensearch-project/opensearch';
import { BodyTooLargeError } from '../../lib/body-too-large.js';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import { loadCommonJs } from '../../lib/load-common-js.js';
import type { ProxyRouter } from '../../lib/proxy/proxy-router.js';
import { readCapped } from '../../lib/read-capped.js';
import { registerSecret } from '../../lib/redact.js';
import type { OpenSearchService } from './parse-opensearch-target.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type SignedResponse =
  | { kind: 'response'; status: number; body: unknown }
  /** The request never got an HTTP answer: DNS, refused, reset, TLS, or the deadline. */
  | { kind: 'network'; name: string; message: string; timedOut: boolean }
  /** The peer sent more than any OpenSearch answer holds; reading stopped at the cap. */
  | { kind: 'too-large'; status: number; limit: number; message: string };

export interface SignedRequest {
  url: string;
  region: string;
  service: OpenSearchService;
  method: 'GET' | 'HEAD';
  path: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

type ClientErrors = typeof import('@opensearch-project/opensearch').errors;

/**
 * Opens a client for one endpoint; `send` never throws for what the peer says, only for programming errors.
 * The client is loaded on first use so identity-only runs do not pay for it at start-up.
 */
export async function signedClient(
  credentials: SigningCredentials,
  url: string,
  region: string,
  service: OpenSearchService,
  router?: ProxyRouter,
) {
  registerSecret(credentials.secretAccessKey);
  registerSecret(credentials.sessionToken);
  const [core, aws, quiet] = await Promise.all([
    loadCommonJs(import('@opensearch-project/opensearch')),
    loadCommonJs(import('@opensearch-project/opensearch/aws')),
    import('../../lib/silence-debug.js'),
  ]);
  // The client logs its requests through `debug` (silence-debug.ts): off before it sends one.
  quiet.silenceDebug();
  const { Client, errors } = core;
  const { AwsSigv4Signer } = aws;
  const client = new Client({
    ...AwsSigv4Signer({ region, service, getCredentials: () => Promise.resolve({ ...credentials }) }),
    node: url,
    // Through the proxy or direct as the AWS CLI would go (src/lib/proxy/); the client's own `proxy`
    // option would bring a second proxy library with other rules.
    ...(router ? { agent: () => router.agentFor(url) } : {}),
    // One attempt: a blackholed endpoint costs one deadline, and a 403 is an answer, not a fault to retry.
    maxRetries: 0,
    sniffOnStart: false,
  });
  return {
    send: (req: Omit<SignedRequest, 'url' | 'region' | 'service'>) => send(client, errors, req),
    close: () => client.close().catch(() => undefined),
  };
}

/**
 * OpenSearch answers the requests made here (GET /, _cat/indices, the security account) in KiB; 4 MiB
 * leaves room for a cluster with thousands of indices. The client itself reads bodies whole and
 * unbounded, so it hands over the stream (asStream) and the body is read here, capped.
 */
export const MAX_OPENSEARCH_BODY_BYTES = 4 * 1024 * 1024;

async function send(
  client: Client,
  errors: ClientErrors,
  req: Omit<SignedRequest, 'url' | 'region' | 'service'>,
): Promise<SignedResponse> {
  const timeout = Math.max(1, req.timeoutMs);
  // One deadline for the headers and the body: the body is read under the same signal.
  const deadline = AbortSignal.any([AbortSignal.timeout(timeout + 250), ...(req.signal ? [req.signal] : [])]);
  try {
    const res = await withDeadline(
      client.transport.request(
        { method: req.method, path: req.path },
        { requestTimeout: timeout, maxRetries: 0, asStream: true },
      ),
      timeout + 250,
      `OpenSearch ${req.method} ${req.path}`,
      req.signal,
    );
    const status = res.statusCode ?? 200;
    const stream = res.body as unknown as Readable;
    const encoding = String(res.headers?.['content-encoding'] ?? '').toLowerCase();
    let bytes: Buffer;
    try {
      bytes = await readCapped(decoded(stream, encoding), MAX_OPENSEARCH_BODY_BYTES, deadline);
    } catch (e) {
      if (e instanceof BodyTooLargeError)
        return { kind: 'too-large', status, limit: e.limit, message: e.message };
      throw e;
    }
    const text = bytes.toString('utf8');
    return { kind: 'response', status, body: req.method === 'HEAD' ? status < 400 : jsonOrAsIs(text) };
  } catch (e) {
    if (e instanceof DeadlineError || e instanceof errors.TimeoutError || isAbort(e))
      return { kind: 'network', name: errorName(e), message: errorMessage(e), timedOut: true };
    if (e instanceof errors.ConnectionError || e instanceof errors.RequestAbortedError)
      return { kind: 'network', name: e.name, message: e.message, timedOut: false };
    if (e instanceof errors.NoLivingConnectionsError)
      return { kind: 'network', name: e.name, message: e.message, timedOut: false };
    // The body stream failed half-way (reset, closed early, a broken gzip stream).
    if (isStreamError(e))
      return { kind: 'network', name: errorName(e), message: errorMessage(e), timedOut: false };
    throw e;
  }
}

/** A gzip or deflate body is inflated on the way; the cap then bounds the inflated size (no gzip bomb). */
function decoded(stream: Readable, encoding: string): Readable {
  if (!/gzip|deflate/.test(encoding)) return stream;
  const inflate = encoding.includes('gzip') ? createGunzip() : createInflate();
  stream.on('error', (e) => inflate.destroy(e));
  inflate.on('close', () => stream.destroy());
  return stream.pipe(inflate);
}

function isAbort(e: unknown): boolean {
  const name = (e as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function isStreamError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('Z_') || code.startsWith('ERR_'))
  );
}

const errorName = (e: unknown) => (e instanceof Error ? e.name : 'Error');
const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The client parses only bodies labelled application/json; a gateway or server that sends JSON as text/plain or
 * without a content type must read the same as one that labels it.
 */
function jsonOrAsIs(body: unknown): unknown {
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? Buffer.from(body).toString('utf8')
        : undefined;
  const t = text?.trim();
  if (!t || !/^[[{]/.test(t)) return body;
  try {
    return JSON.parse(t);
  } catch {
    return body;
  }
}
