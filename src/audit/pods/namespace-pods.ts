import type { V1Pod } from '@kubernetes/client-node';
import { sweepFactFamily } from '../audit-context.js';
import { type KubeRead, kubeRead } from '../kube-read.js';

/** Every pod of a namespace, listed once however many of its ServiceAccounts are audited. */
export const namespacePods = sweepFactFamily(
  'namespace-pods',
  (namespace: string) => namespace,
  (ctx, namespace): Promise<KubeRead<V1Pod[]>> =>
    kubeRead('list', 'pods', () => ctx.sweep.kube.listPods(namespace)),
);

/** The pods running (or about to) as this ServiceAccount; a pod without one runs as `default`. */
export function podsOf(pods: V1Pod[], serviceAccount: string): V1Pod[] {
  return pods.filter(
    (p) =>
      (p.spec?.serviceAccountName || 'default') === serviceAccount &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed' &&
      !p.metadata?.deletionTimestamp,
  );
}

/** What to restart for a pod: its Deployment (through the ReplicaSet), StatefulSet, DaemonSet, else the pod. */
export function ownerOf(pod: V1Pod): string {
  const owner =
    pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return `pod/${pod.metadata?.name ?? 'POD'}`;
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    return hash && owner.name.endsWith(`-${hash}`)
      ? `deployment/${owner.name.slice(0, -hash.length - 1)}`
      : `replicaset/${owner.name}`;
  }
  const kinds: Record<string, string> = {
    StatefulSet: 'statefulset',
    DaemonSet: 'daemonset',
    Job: 'job',
    Deployment: 'deployment',
  };
  return `${kinds[owner.kind] ?? owner.kind.toLowerCase()}/${owner.name}`;
}
