import { KubeConfig, type User } from '@kubernetes/client-node';
import type { ExecFailure, ExecPlugin, ExecRunOptions } from './exec-credential.js';
import { cachedExecCredential } from './exec-credential-cache.js';
import type { ResolvedKubeconfig } from './resolved-kubeconfig.js';

/** Marks the user whose credential comes from our exec runner; no built-in client-node authenticator claims it. */
const EXEC_PROVIDER = 'irsa-doctor-exec';

/** A request could not get credentials because the exec plugin failed; carries the plugin's outcome. */
export class ExecCredentialError extends Error {
  override readonly name = 'ExecCredentialError';
  constructor(readonly failure: ExecFailure) {
    super(failure.message);
  }
}

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/**
 * A client-node KubeConfig for the resolved configuration. An exec plugin is never left to
 * client-node (it would spawn it with no deadline, no abort and unbounded output): the user is
 * marked instead, and an authenticator hook asks cachedExecCredential for the token or client
 * certificate before every request. The cache runs the plugin once and again only after the
 * credential's expirationTimestamp, so a run that outlives a 15-minute EKS token keeps working.
 * A failing plugin makes the request reject with ExecCredentialError.
 */
export function kubeClientConfig(resolved: ResolvedKubeconfig, exec: ExecRunOptions = {}): KubeConfig {
  const config = new KubeConfig();
  const { clusters, users, contexts, currentContext } = resolved.clientOptions;
  let withMarker: User[] = users;
  if (resolved.exec) {
    config.addAuthenticator(execAuthenticator(resolved.exec, exec));
    withMarker = users.map((u) =>
      u.name === resolved.user.name ? { ...u, authProvider: { name: EXEC_PROVIDER, config: {} } } : u,
    );
  }
  config.loadFromOptions({ clusters, users: withMarker, contexts, currentContext });
  return config;
}

function execAuthenticator(plugin: ExecPlugin, opts: ExecRunOptions): Authenticator {
  return {
    isAuthProvider: (user) => user?.authProvider?.name === EXEC_PROVIDER,
    applyAuthentication: async (_user, request) => {
      const outcome = await cachedExecCredential(plugin, opts);
      if (!outcome.ok) throw new ExecCredentialError(outcome);
      const options = request as { headers?: Record<string, string>; cert?: string; key?: string };
      if (outcome.token) {
        options.headers ??= {};
        options.headers.Authorization = `Bearer ${outcome.token}`;
      }
      if (outcome.clientCertificate) {
        options.cert = outcome.clientCertificate.cert;
        options.key = outcome.clientCertificate.key;
      }
    },
  };
}
