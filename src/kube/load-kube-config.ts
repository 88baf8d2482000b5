import { KubeConfig } from '@kubernetes/client-node';

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

export interface LoadedConfig {
  config: KubeConfig;
  /** The context's namespace (in-cluster: the pod's), else "default": kubectl's rule for a missing -n. */
  defaultNamespace: string;
  /** The context name, for messages. */
  context: string;
}

/**
 * kubectl's precedence: --kubeconfig, else $KUBECONFIG (a path list), else ~/.kube/config, else the
 * in-cluster ServiceAccount. The client's own last resort (http://localhost:8080) is refused: it only
 * ever means "no configuration found".
 */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): LoadedConfig {
  const config = new KubeConfig();
  try {
    if (opts.kubeconfig !== undefined) config.loadFromFile(opts.kubeconfig);
    else config.loadFromDefault();
  } catch (e) {
    const source = opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new KubeConfigError(`cannot load kubeconfig ${source}: ${firstLine(e)}`);
  }
  const fallback = config.clusters.length === 1 && config.clusters[0]?.server === 'http://localhost:8080';
  if (config.clusters.length === 0 || (fallback && config.clusters[0]?.name === 'cluster')) {
    throw new KubeConfigError(
      'no Kubernetes configuration found: set KUBECONFIG or pass --kubeconfig FILE (e.g. after aws eks update-kubeconfig --name CLUSTER), or run in a pod',
    );
  }
  // kubectl talks to an http:// server as is; client-node refuses unless skipTLSVerify is set,
  // which means nothing without TLS.
  config.clusters = config.clusters.map((c) =>
    /^http:/i.test(c.server) && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c,
  );
  if (opts.context !== undefined) {
    if (!config.getContextObject(opts.context)) {
      const known = config.contexts.map((c) => c.name).join(', ') || 'none';
      throw new KubeConfigError(`context "${opts.context}" is not in the kubeconfig (contexts: ${known})`);
    }
    config.setCurrentContext(opts.context);
  }
  const current = config.getCurrentContext();
  const ctx = config.getContextObject(current);
  if (!ctx && config.contexts.length > 0) {
    throw new KubeConfigError(
      `the kubeconfig's current-context "${current}" does not exist; pass --context NAME`,
    );
  }
  if (!config.getCurrentCluster()) {
    throw new KubeConfigError(`context "${current}" names no cluster that the kubeconfig defines`);
  }
  return { config, defaultNamespace: ctx?.namespace?.trim() || 'default', context: current };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';
}
