// The security plugin's account API answers every authenticated user with who it thinks they are, so it shows the
// user and backend roles IAM produced even when no role mapping grants anything.
import type { signedClient } from './signed-request.js';

export type FgacAccount =
  | { enabled: true; userName: string; backendRoles: string[]; roles: string[]; api: string }
  /** No security plugin answered: fine-grained access control is off (or the account API is unreachable). */
  | { enabled: false; status?: number };

const PATHS = ['/_plugins/_security/api/account', '/_opendistro/_security/api/account'];

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export async function readFgacAccount(
  client: Awaited<ReturnType<typeof signedClient>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<FgacAccount> {
  let status: number | undefined;
  for (const path of PATHS) {
    const res = await client.send({ method: 'GET', path, timeoutMs, signal });
    if (res.kind !== 'response') return { enabled: false };
    status = res.status;
    if (res.status === 200 && res.body && typeof res.body === 'object') {
      const b = res.body as Record<string, unknown>;
      if (typeof b.user_name === 'string')
        return {
          enabled: true,
          userName: b.user_name,
          backendRoles: strings(b.backend_roles),
          roles: strings(b.roles),
          api: path,
        };
    }
    // 400 "no handler found" / 404: this prefix is not served; older domains only have _opendistro.
    if (res.status !== 400 && res.status !== 404) break;
  }
  return { enabled: false, ...(status !== undefined ? { status } : {}) };
}
