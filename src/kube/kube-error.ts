import { ApiException } from '@kubernetes/client-node';
import { ExecCredentialError } from './kube-client-config.js';
import { printable } from './printable-line.js';

/**
 * Why a call got no HTTP answer: it ran past its deadline, the run was interrupted (SIGINT/SIGTERM),
 * or the connection failed (refused, reset, DNS, TLS).
 */
export type NoAnswer = 'timeout' | 'interrupted' | 'unreachable';

export interface KubeErrorExtra {
  noAnswer?: NoAnswer;
  server?: string;
  timeoutMs?: number;
  /** The kubeconfig's exec plugin gave no credential, so no request was sent. */
  credentials?: boolean;
  /**
   * The server answered, but not as a Kubernetes API server does (HTML, garbage, JSON of the wrong
   * kind, an error without a Status): what was wrong. Its status code then means nothing.
   */
  notKubernetes?: string;
  /** The answer went past this many bytes and was not read further. */
  tooLarge?: number;
}

/** An API error reduced to what diagnosis needs: the HTTP status and the server's Status reason/message. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
    readonly extra: KubeErrorExtra = {},
  ) {
    super(message);
  }
  /** A 403 the API server explained with a Status (a proxy's 403 page says nothing about RBAC). */
  get forbidden(): boolean {
    return this.status === 403 && !this.notKubernetes;
  }
  /** A 404 the API server explained with a Status (a web server's 404 says nothing about namespaces). */
  get notFound(): boolean {
    return this.status === 404 && !this.notKubernetes;
  }
  /** No HTTP answer at all: asking again right away would only cost another deadline. */
  get noAnswer(): NoAnswer | undefined {
    if (this.extra.noAnswer) return this.extra.noAnswer;
    return this.status === undefined && !this.extra.credentials && !this.notKubernetes
      ? 'unreachable'
      : undefined;
  }
  get interrupted(): boolean {
    return this.extra.noAnswer === 'interrupted';
  }
  get server(): string | undefined {
    return this.extra.server;
  }
  /** No credential to send: the exec plugin failed (a kubeconfig/auth problem, not the network). */
  get credentials(): boolean {
    return this.extra.credentials === true;
  }
  /** The server answered something a Kubernetes API server does not send; nothing it said can be believed. */
  get notKubernetes(): boolean {
    return this.extra.notKubernetes !== undefined;
  }
}

/**
 * Turns an ApiException or a network error into a KubeError. An error answer must be a Status
 * object (every Kubernetes API server sends one); anything else came from something in front of
 * it or from something else entirely, and its status code is not believed. A 401 is the exception:
 * it means the same whoever sends it.
 */
export function toKubeError(e: unknown, server?: string): KubeError {
  if (e instanceof KubeError) return e;
  const extra = server ? { server } : {};
  if (e instanceof ExecCredentialError)
    return new KubeError(undefined, 'ExecCredential', e.message, { ...extra, credentials: true });
  if (e instanceof ApiException) {
    const code = e.code as number;
    const status = statusOf(e.body);
    if (code === 401 && !status) {
      return new KubeError(401, 'Unauthorized', 'Unauthorized: the credentials were refused', extra);
    }
    if (!status) {
      const text = typeof e.body === 'string' ? e.body : '';
      const body = describeBody(text, (e.headers as Record<string, string> | undefined)?.['content-type']);
      return new KubeError(code, undefined, `answered HTTP ${code} with ${body}, not a Kubernetes Status`, {
        ...extra,
        notKubernetes: `HTTP ${code} with ${body}`,
      });
    }
    const message =
      status.message || (code === 401 ? 'Unauthorized: the credentials were refused' : `HTTP ${code}`);
    return new KubeError(code, status.reason ?? (code === 401 ? 'Unauthorized' : undefined), message, extra);
  }
  const err = e as {
    message?: string;
    code?: string;
    statusCode?: number;
    cause?: { code?: string; message?: string };
  };
  if (typeof err.statusCode === 'number')
    return new KubeError(err.statusCode, undefined, err.message ?? `HTTP ${err.statusCode}`, extra);
  const detail = err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(e);
  return new KubeError(
    undefined,
    undefined,
    `cannot reach the Kubernetes API${server ? ` at ${server}` : ''} (${detail})`,
    { ...extra, noAnswer: 'unreachable' },
  );
}

/** The Status an error answer carries (from its text, or an object client-node decoded), if any. */
function statusOf(body: unknown): { reason?: string; message?: string } | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const s = value as { kind?: unknown; reason?: unknown; message?: unknown };
  if (s.kind !== undefined && s.kind !== 'Status') return undefined;
  if (s.kind === undefined && typeof s.message !== 'string' && typeof s.reason !== 'string') return undefined;
  return {
    ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
    ...(typeof s.message === 'string' ? { message: s.message } : {}),
  };
}

/**
 * A body that is not what was expected, described for a message: its type, size and first
 * printable characters (a login page names itself there), never more.
 */
export function describeBody(text: string, contentType: string | undefined): string {
  if (text.trim() === '') return 'an empty body';
  const type = contentType ? `${printable(contentType.split(';')[0] ?? '', 40)}, ` : '';
  const start = printable(text.trim().slice(0, 60), 60);
  return `a body that is not JSON (${type}${Buffer.byteLength(text)} bytes, starting "${start}")`;
}

export function mib(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
