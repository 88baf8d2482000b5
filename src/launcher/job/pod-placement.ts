import type { Toleration } from './job-manifest.js';

/** The scheduling fields of a pod template, as the API returns them (every field may be missing). */
export interface PodTemplatePlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: ReadonlyArray<{
    readonly key?: string;
    readonly operator?: string;
    readonly value?: string;
    readonly effect?: string;
  }>;
  readonly affinity?: { readonly nodeAffinity?: unknown };
}

/** Where the agent's Job must run to see what a workload's pods see. */
export interface Placement {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  nodeAffinity?: Record<string, unknown>;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/**
 * A workload's node selector, tolerations and node affinity, for the agent's Job: the same nodes,
 * hence the same node role, subnets and security groups. Pod affinity and anti-affinity are left out
 * on purpose: they select nodes by the labels of the workload's own pods, so a Zeebe-style "one per
 * node" anti-affinity would keep the agent away from exactly the nodes the workload runs on.
 * tolerationSeconds is dropped too: the Job lives shorter than any eviction delay.
 */
export function placementOf(spec: PodTemplatePlacement | undefined): Placement {
  const tolerations: Toleration[] = [];
  for (const t of spec?.tolerations ?? []) {
    const operator = t.operator === 'Exists' ? 'Exists' : 'Equal';
    tolerations.push({
      key: t.key ?? '',
      operator,
      ...(operator === 'Equal' && t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect !== undefined && EFFECTS.has(t.effect)
        ? { effect: t.effect as Toleration['effect'] }
        : {}),
    });
  }
  const na = spec?.affinity?.nodeAffinity;
  return {
    nodeSelector: { ...(spec?.nodeSelector ?? {}) },
    tolerations,
    ...(na !== null && typeof na === 'object' && !Array.isArray(na)
      ? { nodeAffinity: na as Record<string, unknown> }
      : {}),
  };
}
