import { KubeError } from '../kube/kube-error.js';

/** What a Kubernetes read gave the audit, as a value. */
export type KubeRead<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      kind: 'forbidden' | 'not-found' | 'error';
      verb: string;
      resource: string;
      message: string;
      server?: string;
    };

/** One read through the shared client; Forbidden and NotFound are answers, not crashes. */
export async function kubeRead<T>(
  verb: string,
  resource: string,
  read: () => Promise<T>,
): Promise<KubeRead<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    const kind = err.forbidden ? 'forbidden' : err.notFound ? 'not-found' : 'error';
    return {
      ok: false,
      kind,
      verb,
      resource,
      message: err.message,
      ...(err.server ? { server: err.server } : {}),
    };
  }
}
