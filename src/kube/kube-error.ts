import { ApiException } from '@kubernetes/client-node';
import { ExecCredentialError } from './kube-client-config.js';

/**
 * Why a call got no HTTP answer: it ran past its deadline, the run was interrupted (SIGINT/SIGTERM),
 * or the connection failed (refused, reset, DNS, TLS).
 */
export type NoAnswer = 'timeout' | 'interrupted' | 'unreachable';

/** An API error reduced to what diagnosis needs: the HTTP status and the server's Status reason/message. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
    readonly extra: {
      noAnswer?: NoAnswer;
      server?: string;
      timeoutMs?: number;
      /** The kubeconfig's exec plugin gave no credential, so no request was sent. */
      credentials?: boolean;
    } = {},
  ) {
    super(message);
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
  get notFound(): boolean {
    return this.status === 404;
  }
  /** No HTTP answer at all: asking again right away would only cost another deadline. */
  get noAnswer(): NoAnswer | undefined {
    if (this.extra.noAnswer) return this.extra.noAnswer;
    return this.status === undefined && !this.extra.credentials ? 'unreachable' : undefined;
  }
  /** No credential to send: the exec plugin failed (a kubeconfig/auth problem, not the network). */
  get credentials(): boolean {
    return this.extra.credentials === true;
  }
  get interrupted(): boolean {
    return this.extra.noAnswer === 'interrupted';
  }
  get server(): string | undefined {
    return this.extra.server;
  }
}

/** Turns an ApiException (raw Status JSON body) or a network error into a KubeError. */
export function toKubeError(e: unknown, server?: string): KubeError {
  if (e instanceof KubeError) return e;
  const extra = server ? { server } : {};
  if (e instanceof ExecCredentialError)
    return new KubeError(undefined, 'ExecCredential', e.message, { ...extra, credentials: true });
  if (e instanceof ApiException) {
    const code = e.code as number;
    let status: { reason?: string; message?: string } = {};
    if (typeof e.body === 'string') {
      try {
        status = JSON.parse(e.body) as typeof status;
      } catch {
        status = { message: e.body.slice(0, 300) };
      }
    } else if (e.body && typeof e.body === 'object') status = e.body as typeof status;
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
