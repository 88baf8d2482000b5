// The loopback cluster the launcher scenarios run against (launcher.test.ts, launcher-cluster.test.ts):
// a Kubernetes API whose kubelet runs the agent, the namespace under Pod Security "restricted", and the
// healthy ServiceAccount annotated with the EKS stack's role.
import type { EksStack } from '../harness/eks-stack.js';
import { type KubeApi, type KubeApiOptions, startKubeApi } from '../harness/kube-api.js';
import type { KubeletOptions, PodRuntime } from '../harness/kubelet.js';

export type LauncherClusterOptions = Omit<KubeApiOptions, 'kubelet' | 'ca'> &
  Omit<KubeletOptions, 'runtime'> & {
    /** labels and annotations added to the namespace's own */
    nsLabels?: Record<string, string>;
    nsAnnotations?: Record<string, string>;
  };

/** Starts one such cluster; `apis` collects it for the caller's afterEach to close; `dir` gets its kubeconfig. */
export async function startLauncherCluster(
  world: { stack: EksStack; runtime: PodRuntime; dir: string; apis: KubeApi[] },
  namespace: string,
  serviceAccount: string,
  opts: LauncherClusterOptions = {},
): Promise<{ api: KubeApi; kubeconfig: string }> {
  const { pullError, pullDelayMs, nsLabels, nsAnnotations, ...apiOpts } = opts;
  const api = await startKubeApi({
    ca: world.stack.ca,
    ...apiOpts,
    kubelet: {
      runtime: world.runtime,
      ...(pullError ? { pullError } : {}),
      ...(pullDelayMs ? { pullDelayMs } : {}),
    },
  });
  world.apis.push(api);
  api.addNamespace(
    namespace,
    { 'pod-security.kubernetes.io/enforce': 'restricted', ...nsLabels },
    nsAnnotations,
  );
  api.addServiceAccount(namespace, serviceAccount, { 'eks.amazonaws.com/role-arn': world.stack.roleArn });
  return { api, kubeconfig: api.writeKubeconfig(world.dir) };
}
