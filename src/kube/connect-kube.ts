import type { KubeConfig } from '@kubernetes/client-node';
import { EXEC_PLUGIN_MS } from './exec-credential.js';
import { cachedExecCredential } from './exec-credential-cache.js';
import { API_CALL_MS } from './kube-client.js';
import { kubeClientConfig } from './kube-client-config.js';
import { loadKubeconfig } from './load-kubeconfig.js';
import type { ResolvedKubeconfig } from './resolved-kubeconfig.js';

export interface ConnectRequest {
  /** kubectl's flags, as the command received them. */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** The run's signal (Ctrl-C): it also ends an exec plugin that is still running. */
  signal: AbortSignal;
  /** Epoch ms by which the exec plugin must have answered (it gets at most EXEC_PLUGIN_MS). */
  execEndAt: number;
}

export type KubeConnection =
  | {
      ok: true;
      resolved: ResolvedKubeconfig;
      /** client-node's configuration, with the exec plugin behind our bounded runner. */
      config: KubeConfig;
      /** A line for stderr the user should see (credentials not sent to a plain-http server). */
      notice?: string;
    }
  | {
      ok: false;
      /** config: the kubeconfig cannot be used; credential: its exec plugin failed; interrupted: Ctrl-C. */
      kind: 'config' | 'credential' | 'interrupted';
      message: string;
      fix?: string;
    };

/**
 * What every command that talks to a cluster does first: find the kubeconfig by kubectl's rules and
 * run its exec plugin once, bounded, before any API call, so that an expired SSO session or a
 * missing `aws` binary is one clear line instead of a failure inside the first request.
 */
export async function connectKube(req: ConnectRequest): Promise<KubeConnection> {
  const loaded = await loadKubeconfig({
    ...(req.kubeconfig !== undefined ? { kubeconfig: req.kubeconfig } : {}),
    ...(req.context !== undefined ? { context: req.context } : {}),
    ...(req.namespace !== undefined ? { namespace: req.namespace } : {}),
    env: req.env,
  });
  if (!loaded.ok)
    return { ok: false, kind: 'config', message: loaded.problem.message, ...fixOf(loaded.problem.fix) };
  const resolved = loaded.config;
  if (resolved.exec) {
    const timeoutMs = Math.max(0, Math.min(EXEC_PLUGIN_MS, req.execEndAt - Date.now()));
    const credential = await cachedExecCredential(resolved.exec, {
      signal: req.signal,
      timeoutMs,
      env: req.env,
    });
    if (!credential.ok)
      return {
        ok: false,
        kind: credential.kind === 'interrupted' ? 'interrupted' : 'credential',
        message: credential.message,
        ...fixOf(credential.fix),
      };
  }
  // A refresh (past the credential's expiry) runs inside one API call: it gets that call's time.
  const config = kubeClientConfig(resolved, { signal: req.signal, env: req.env, timeoutMs: API_CALL_MS });
  const { user, cluster } = resolved;
  return {
    ok: true,
    resolved,
    config,
    ...(user.notSent
      ? {
          notice: `${cluster.server} is plain HTTP: as kubectl, irsa-doctor sends it none of user "${user.name}"'s credentials (${user.notSent})`,
        }
      : {}),
  };
}

function fixOf(fix: string | undefined): { fix?: string } {
  return fix ? { fix } : {};
}
