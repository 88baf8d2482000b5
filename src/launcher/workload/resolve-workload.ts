import type { AgentTargets } from '../../camunda/agent-targets.js';
import type { ConfigMapLike, WorkloadLike } from '../../camunda/kube-objects.js';
import { referencedConfigMaps } from '../../camunda/referenced-config-maps.js';
import { workloadTargets } from '../../camunda/workload-targets.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { registerSecret } from '../../lib/redact.js';
import { type Placement, placementOf } from '../job/pod-placement.js';
import { type WorkloadRef, workloadRefText } from './workload-ref.js';

export type ResolvedWorkload =
  | {
      ok: true;
      serviceAccount: string;
      /** The container whose configuration was read. */
      container?: string;
      placement: Placement;
      targets: AgentTargets;
      /** Connections that could not be read (a URL from a Secret, a missing ConfigMap). */
      notes: string[];
    }
  | { ok: false; interrupted: boolean; message: string; fix: string };

/** A pod template references a handful of ConfigMaps; more is not read. */
const MAX_CONFIG_MAPS = 50;

/**
 * `run --workload`: the workload's pod template (as whom it runs, where, with which settings) and the
 * ConfigMaps it takes settings from, read by name; Secrets are never read. What its configuration
 * names (Aurora login, OpenSearch URLs) is resolved the way Camunda discovery resolves a component.
 */
export async function resolveWorkload(
  kube: KubeClient,
  namespace: string,
  ref: WorkloadRef,
  container?: string,
): Promise<ResolvedWorkload> {
  const shown = `${workloadRefText(ref)} in namespace ${namespace}`;
  let w: WorkloadLike;
  try {
    w = (await kube.readWorkload(ref.kind, namespace, ref.name)) as WorkloadLike;
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    const verb = `kubectl auth can-i get ${ref.kind.toLowerCase()}s -n ${namespace}`;
    return {
      ok: false,
      interrupted: err.interrupted,
      message: err.notFound
        ? `${shown} does not exist`
        : err.forbidden
          ? `reading ${shown} is forbidden by RBAC`
          : `could not read ${shown}: ${err.message}`,
      fix: err.notFound
        ? `kubectl get deploy,sts,jobs -n ${namespace}`
        : err.forbidden
          ? `${verb}; grant the Role in k8s/rbac.yaml`
          : 'check access to the API server (kubectl get --raw /version)',
    };
  }
  const spec = w.spec?.template?.spec;
  const names = referencedConfigMaps([w]).slice(0, MAX_CONFIG_MAPS);
  const notes: string[] = [];
  const chosen = chooseContainer(w, container);
  if (!chosen.ok)
    return { ok: false, interrupted: false, message: `${shown}: ${chosen.message}`, fix: chosen.fix };
  if (chosen.note) notes.push(chosen.note);
  const read = await Promise.all(
    names.map((name) =>
      kube.readConfigMap(namespace, name).then(
        (cm) => cm as ConfigMapLike,
        (e: unknown) => {
          // Missing or unreadable: the settings from it stay unknown (resolution notes which).
          if (!(e instanceof KubeError && e.notFound)) notes.push(`ConfigMap ${name} could not be read`);
          return undefined;
        },
      ),
    ),
  );
  const configMaps = read.filter((c): c is ConfigMapLike => c !== undefined);
  const found = workloadTargets(spec, configMaps, registerSecret, chosen.name);
  return {
    ok: true,
    serviceAccount: spec?.serviceAccountName || spec?.serviceAccount || 'default',
    ...(found.container ? { container: found.container } : {}),
    placement: placementOf(spec),
    targets: found.targets,
    notes: [...notes, ...found.notes],
  };
}

/** The annotation kubectl (logs, exec, attach) reads for a pod's default container. */
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

type ChosenContainer =
  | { ok: true; name?: string; note?: string }
  | { ok: false; message: string; fix: string };

/**
 * Whose configuration is read, as kubectl chooses a container: the one -c names (which must exist),
 * else the one the pod template's default-container annotation names, else the first. A sidecar
 * declared first (a log shipper, a proxy) would otherwise be read instead of the application.
 */
function chooseContainer(w: WorkloadLike, given: string | undefined): ChosenContainer {
  const names = (w.spec?.template?.spec?.containers ?? []).map((c) => c.name ?? '');
  if (given !== undefined) {
    return names.includes(given)
      ? { ok: true, name: given }
      : {
          ok: false,
          message: `it has no container ${JSON.stringify(given)} (its containers: ${names.join(', ') || 'none'})`,
          fix: `pass -c with one of: ${names.join(', ') || '(none)'}`,
        };
  }
  const annotated = w.spec?.template?.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated === undefined) return { ok: true };
  // kubectl warns and falls back to the first container when the annotation names none of them.
  return names.includes(annotated)
    ? { ok: true, name: annotated }
    : {
        ok: true,
        note: `${DEFAULT_CONTAINER_ANNOTATION} names ${JSON.stringify(annotated)}, which is no container of it; the first was read`,
      };
}
