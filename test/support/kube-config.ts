import type { KubeConfig } from '@kubernetes/client-node';
import { kubeClientConfig } from '../../src/kube/kube-client-config.js';
import { loadKubeconfig } from '../../src/kube/load-kubeconfig.js';

/** The client configuration `run` would build from this kubeconfig file alone (no KUBECONFIG, no pod). */
export async function kubeConfigFor(file: string): Promise<KubeConfig> {
  const loaded = await loadKubeconfig({
    kubeconfig: file,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    serviceAccountDir: '/nonexistent',
  });
  if (!loaded.ok) throw new Error(loaded.problem.message);
  return kubeClientConfig(loaded.config);
}
