// One SigV4-signed request through the real OpenSearch client, the way Camunda's exporter signs: the client's
// AwsSigv4Signer (aws4 underneath). TLS is verified with Node's trust store, which NODE_EXTRA_CA_CERTS extends.
import type { Client } from '@opensearch-project/opensearch';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import { loadCommonJs } from '../../lib/load-common-js.js';
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
  | { kind: 'network'; name: string; message: string; timedOut: boolean };

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
) {
  registerSecret(credentials.secretAccessKey);
  registerSecret(credentials.sessionToken);
  const [core, aws] = await Promise.all([
    loadCommonJs(import('@opensearch-project/opensearch')),
    loadCommonJs(import('@opensearch-project/opensearch/aws')),
  ]);
  const { Client, errors, Serializer } = core;
  const { AwsSigv4Signer } = aws;
  // The client parses every body labelled application/json and, when that fails, throws a
  // DeserializationError without the status; a proxy or gateway answering `403 Forbidden` as "JSON" would
  // crash the check. Keeping the raw text lets the answer be classified like any other.
  class RawTextFallback extends Serializer {
    override deserialize(json: string) {
      try {
        return super.deserialize(json);
      } catch (e) {
        if (e instanceof errors.DeserializationError) return json;
        throw e;
      }
    }
  }
  const client = new Client({
    ...AwsSigv4Signer({ region, service, getCredentials: () => Promise.resolve({ ...credentials }) }),
    Serializer: RawTextFallback,
    node: url,
    // One attempt: a blackholed endpoint costs one deadline, and a 403 is an answer, not a fault to retry.
    maxRetries: 0,
    sniffOnStart: false,
  });
  return {
    send: (req: Omit<SignedRequest, 'url' | 'region' | 'service'>) => send(client, errors, req),
    close: () => client.close().catch(() => undefined),
  };
}

async function send(
  client: Client,
  errors: ClientErrors,
  req: Omit<SignedRequest, 'url' | 'region' | 'service'>,
): Promise<SignedResponse> {
  const timeout = Math.max(1, req.timeoutMs);
  try {
    const res = await withDeadline(
      client.transport.request(
        { method: req.method, path: req.path },
        { requestTimeout: timeout, maxRetries: 0 },
      ),
      timeout + 250,
      `OpenSearch ${req.method} ${req.path}`,
      req.signal,
    );
    return { kind: 'response', status: res.statusCode ?? 200, body: jsonOrAsIs(res.body) };
  } catch (e) {
    if (e instanceof errors.ResponseError) {
      // statusCode prefers body.status; the HTTP status is the one the wire carried.
      return {
        kind: 'response',
        status: e.meta.statusCode ?? e.statusCode,
        body: jsonOrAsIs(e.meta.body),
      };
    }
    if (e instanceof DeadlineError || e instanceof errors.TimeoutError)
      return { kind: 'network', name: e.name, message: e.message, timedOut: true };
    if (e instanceof errors.ConnectionError || e instanceof errors.RequestAbortedError)
      return { kind: 'network', name: e.name, message: e.message, timedOut: false };
    if (e instanceof errors.NoLivingConnectionsError)
      return { kind: 'network', name: e.name, message: e.message, timedOut: false };
    throw e;
  }
}

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
