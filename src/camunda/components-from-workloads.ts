import {
  type CamundaComponent,
  type ChartLine,
  type Fact,
  ROLE_ARN_ANNOTATION,
  type WorkloadKind,
} from './camunda-component.js';
import { chartLineOfLabel } from './chart-line.js';
import { ALL_COMPONENT_SPECS, type ComponentSpec, componentSpecs } from './component-catalog.js';
import type { ConfigMapLike, ServiceAccountLike, WorkloadLike } from './kube-objects.js';
import { opensearchUses } from './opensearch-uses.js';
import { postgresUses } from './postgres-uses.js';
import { resolveContainerConfig } from './resolve-container-config.js';

/**
 * The components actually running, read from Deployments and StatefulSets (and the ConfigMaps and
 * ServiceAccounts they use), with or without a Helm release: `helm template` and Argo CD render the
 * same labels. A workload is recognised by its `app.kubernetes.io/component` label and main
 * container name; its settings are what the container sees.
 */

export interface WorkloadInventory {
  readonly deployments: readonly WorkloadLike[];
  readonly statefulSets: readonly WorkloadLike[];
  readonly configMaps: readonly ConfigMapLike[];
  readonly serviceAccounts?: readonly ServiceAccountLike[];
}

export interface WorkloadDiscoveryOptions {
  /** Only workloads labelled `app.kubernetes.io/instance=<releaseName>`. */
  readonly releaseName?: string;
  /** Default: from the `helm.sh/chart` label, else undetermined (all components are considered). */
  readonly line?: ChartLine;
  /** Hears every password-like literal that is dropped (for output redaction). */
  readonly onSecret?: (value: string) => void;
}

export interface WorkloadDiscovery {
  readonly line?: Fact<ChartLine>;
  /** The release instances seen (`app.kubernetes.io/instance`); more than one means a filter is needed. */
  readonly instances: readonly string[];
  readonly components: readonly CamundaComponent[];
  /** Camunda-labelled workloads that match no known component, as `Kind/name`. */
  readonly unrecognized: readonly string[];
}

const INSTANCE = 'app.kubernetes.io/instance';
const COMPONENT = 'app.kubernetes.io/component';

export function componentsFromWorkloads(
  inv: WorkloadInventory,
  opts: WorkloadDiscoveryOptions = {},
): WorkloadDiscovery {
  const all: Array<{ kind: WorkloadKind; w: WorkloadLike }> = [
    ...inv.statefulSets.map((w) => ({ kind: 'StatefulSet' as const, w })),
    ...inv.deployments.map((w) => ({ kind: 'Deployment' as const, w })),
  ];
  const camunda = all.filter(
    ({ w }) => isCamunda(w) && (!opts.releaseName || labels(w)[INSTANCE] === opts.releaseName),
  );
  const instances = [
    ...new Set(camunda.map(({ w }) => labels(w)[INSTANCE]).filter((x): x is string => !!x)),
  ].sort();
  const line = opts.line ? { value: opts.line, source: 'option' } : lineFromLabels(camunda);
  const specs = line ? componentSpecs(line.value) : ALL_COMPONENT_SPECS;
  const components: CamundaComponent[] = [];
  const unrecognized: string[] = [];
  for (const { kind, w } of camunda) {
    const spec = recognise(kind, w, specs);
    const name = w.metadata?.name ?? '';
    if (!spec) {
      unrecognized.push(`${kind}/${name}`);
      continue;
    }
    components.push(describe(spec, kind, w, inv, opts.onSecret));
  }
  return { ...(line ? { line } : {}), instances, components, unrecognized };
}

function labels(w: WorkloadLike): Readonly<Record<string, string>> {
  return { ...w.spec?.template?.metadata?.labels, ...w.metadata?.labels };
}

/** The chart's own labels, or the Keycloak subchart's (Bitnami labels, same instance). */
function isCamunda(w: WorkloadLike): boolean {
  const l = labels(w);
  return (
    l['app.kubernetes.io/part-of'] === 'camunda-platform' ||
    (l['helm.sh/chart'] ?? '').startsWith('camunda-platform-') ||
    (l['app.kubernetes.io/name'] === 'keycloak' && l[COMPONENT] === 'keycloak')
  );
}

function lineFromLabels(
  ws: ReadonlyArray<{ kind: WorkloadKind; w: WorkloadLike }>,
): Fact<ChartLine> | undefined {
  for (const { kind, w } of ws) {
    const label = labels(w)['helm.sh/chart'];
    const line = chartLineOfLabel(label);
    if (line)
      return { value: line, source: `label:helm.sh/chart=${label} on ${kind}/${w.metadata?.name ?? ''}` };
  }
  return undefined;
}

function containerNames(w: WorkloadLike): string[] {
  return (w.spec?.template?.spec?.containers ?? []).map((c) => c.name ?? '');
}

/** The component label narrows; the container name decides (zeebe-broker is 8.7's zeebe or 8.8's orchestration). */
function recognise(
  kind: WorkloadKind,
  w: WorkloadLike,
  specs: readonly ComponentSpec[],
): ComponentSpec | undefined {
  const label = labels(w)[COMPONENT];
  const containers = containerNames(w);
  const ofKind = specs.filter((s) => s.kind === kind);
  const byLabel = ofKind.filter((s) => s.componentLabel === label);
  return (
    byLabel.find((s) => containers.includes(s.container)) ??
    (byLabel.length === 1 ? byLabel[0] : undefined) ??
    ofKind.find((s) => s.container !== 'camunda-platform' && containers.includes(s.container))
  );
}

function describe(
  spec: ComponentSpec,
  kind: WorkloadKind,
  w: WorkloadLike,
  inv: WorkloadInventory,
  onSecret: ((value: string) => void) | undefined,
): CamundaComponent {
  const name = w.metadata?.name ?? '';
  const where = `${kind}/${name}`;
  const pod = w.spec?.template?.spec;
  const container = containerNames(w).includes(spec.container) ? spec.container : containerNames(w)[0];
  const notes: string[] = [];
  if (container !== spec.container)
    notes.push(`no container named ${spec.container}; read ${container ?? 'none'}`);
  const sa = pod?.serviceAccountName || pod?.serviceAccount;
  const serviceAccount: Fact<string> = sa
    ? { value: sa, source: `${where} spec.template.spec.serviceAccountName` }
    : { value: 'default', source: `${where} (no serviceAccountName: Kubernetes uses default)` };
  const account = inv.serviceAccounts?.find((s) => s.metadata?.name === serviceAccount.value);
  const arn = account?.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  if (inv.serviceAccounts && !account) notes.push(`ServiceAccount ${serviceAccount.value} was not found`);
  const resolved = resolveContainerConfig(pod, {
    configMaps: inv.configMaps,
    ...(onSecret ? { onSecret } : {}),
    ...(container ? { containerName: container } : {}),
  });
  const base = {
    id: spec.id,
    workload: { kind, name: { value: name, source: where }, container: container ?? spec.container },
    serviceAccount,
    ...(arn !== undefined
      ? {
          roleArn: {
            value: arn,
            source: `ServiceAccount/${serviceAccount.value} annotation ${ROLE_ARN_ANNOTATION}`,
          },
        }
      : {}),
  };
  if (!resolved.ok) return { ...base, postgres: [], opensearch: [], notes: [...notes, resolved.problem] };
  return {
    ...base,
    postgres: postgresUses(spec.app, resolved.config),
    opensearch: opensearchUses(spec.app, resolved.config),
    notes: [...notes, ...resolved.config.notes],
  };
}
