import { ApiException } from '@kubernetes/client-node';

/** An API error reduced to what diagnosis needs: the HTTP status and the server's Status reason/message. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

/** Turns an ApiException (raw Status JSON body) or a network error into a KubeError. */
export function toKubeError(e: unknown): KubeError {
  if (e instanceof KubeError) return e;
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
      status.message ?? (code === 401 ? 'Unauthorized: the credentials were refused' : `HTTP ${code}`);
    return new KubeError(code, status.reason ?? (code === 401 ? 'Unauthorized' : undefined), message);
  }
  const err = e as {
    message?: string;
    code?: string;
    statusCode?: number;
    cause?: { code?: string; message?: string };
  };
  if (typeof err.statusCode === 'number')
    return new KubeError(err.statusCode, undefined, err.message ?? `HTTP ${err.statusCode}`);
  const detail = err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(e);
  return new KubeError(undefined, undefined, `cannot reach the Kubernetes API (${detail})`);
}
