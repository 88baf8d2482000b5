import type { ContainerLike, WorkloadLike } from './kube-objects.js';

/**
 * The ConfigMaps a workload's pods take env from or mount (envFrom, configMapKeyRef, configMap and
 * projected volumes), sorted and without repeats: what discovery reads by name instead of listing
 * every ConfigMap of the namespace.
 */
export function referencedConfigMaps(workloads: readonly WorkloadLike[]): string[] {
  const names = new Set<string>();
  const add = (n: string | undefined) => {
    if (n) names.add(n);
  };
  for (const w of workloads) {
    const spec = w.spec?.template?.spec;
    const containers: readonly ContainerLike[] = [
      ...(spec?.containers ?? []),
      ...(spec?.initContainers ?? []),
    ];
    for (const c of containers) {
      for (const from of c.envFrom ?? []) add(from.configMapRef?.name);
      for (const e of c.env ?? []) add(e.valueFrom?.configMapKeyRef?.name);
    }
    for (const v of spec?.volumes ?? []) {
      add(v.configMap?.name);
      for (const s of v.projected?.sources ?? []) add(s.configMap?.name);
    }
  }
  return [...names].sort();
}
