import { type AgentTargets, targetsFromUses } from './agent-targets.js';
import type { OpenSearchUse, PostgresUse } from './camunda-component.js';
import type { AppKind } from './component-catalog.js';
import type { ConfigMapLike, PodSpecLike } from './kube-objects.js';
import { opensearchUses } from './opensearch-uses.js';
import { postgresUses } from './postgres-uses.js';
import { resolveContainerConfig } from './resolve-container-config.js';

/** Every way discovery reads a Camunda application's connections: any workload may use one of them. */
const POSTGRES_APPS: readonly AppKind[] = ['spring-datasource', 'orchestration', 'keycloak'];
const OPENSEARCH_APPS: readonly AppKind[] = [
  'orchestration',
  'zeebe-broker',
  'operate',
  'tasklist',
  'optimize',
];

export interface WorkloadTargets {
  /** The container read (`containerName`, else the first of the pod template). */
  container?: string;
  targets: AgentTargets;
  /** Why a connection could not be read (a URL from a Secret, a missing ConfigMap). */
  notes: string[];
}

/**
 * The Aurora login and OpenSearch URLs any workload's configuration names, resolved as Camunda
 * discovery resolves a component's (Spring precedence: env over mounted application.yaml, envFrom
 * ConfigMaps, placeholders; Secrets never read): `run --workload` points the agent at them. A
 * PostgreSQL that is neither Aurora/RDS by name nor configured for IAM is left out, as for camunda.
 */
export function workloadTargets(
  spec: PodSpecLike | undefined,
  configMaps: readonly ConfigMapLike[],
  onSecret?: (value: string) => void,
  containerName?: string,
): WorkloadTargets {
  const resolved = resolveContainerConfig(spec, {
    configMaps,
    ...(onSecret ? { onSecret } : {}),
    ...(containerName !== undefined ? { containerName } : {}),
  });
  if (!resolved.ok) return { targets: { opensearch: [] }, notes: [resolved.problem] };
  const config = resolved.config;
  const postgres: PostgresUse[] = POSTGRES_APPS.flatMap((app) => postgresUses(app, config));
  const opensearch: OpenSearchUse[] = OPENSEARCH_APPS.flatMap((app) => opensearchUses(app, config));
  const signed = new Set(opensearch.filter((u) => u.aws.value && u.host).map((u) => u.host!.value));
  return {
    container: resolved.container,
    targets: targetsFromUses(postgres, opensearch, signed),
    notes: [...new Set([...postgres, ...opensearch].flatMap((u) => u.notes))],
  };
}
