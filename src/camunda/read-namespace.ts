import type { KubeClient } from '../kube/kube-client.js';
import { KubeError } from '../kube/kube-error.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode-helm-release.js';
import { helmReleaseHistories } from './helm-release-histories.js';
import type { ConfigMapLike, SecretLike, ServiceAccountLike, WorkloadLike } from './kube-objects.js';
import { type ReadReleaseResult, readDeployedRelease } from './read-deployed-release.js';
import { referencedConfigMaps } from './referenced-config-maps.js';

/**
 * Everything Camunda discovery reads from one namespace, read-only and in parallel where it can be:
 * the Deployments and StatefulSets (what runs), the ServiceAccounts, the ConfigMaps the Camunda
 * workloads reference (read by name, never listed: other ConfigMaps are none of our business), and
 * the Helm release: its Secrets' labels first, then the deployed revision's Secret alone. A failed
 * read is kept as a value, so discovery says what it could not see instead of stopping.
 */

export interface ReadFailure {
  /** What was being read, for the message: "the Helm release Secrets". */
  readonly what: string;
  readonly verb: 'get' | 'list';
  readonly resource: string;
  readonly error: KubeError;
  /** Without it nothing can be diagnosed (the workloads); otherwise only a cross-check is lost. */
  readonly needed: boolean;
}

export interface NamespaceInventory {
  readonly namespace: string;
  readonly deployments: readonly WorkloadLike[];
  readonly statefulSets: readonly WorkloadLike[];
  readonly configMaps: readonly ConfigMapLike[];
  /** Undefined when they could not be listed (then a missing ServiceAccount cannot be told). */
  readonly serviceAccounts?: readonly ServiceAccountLike[];
  /** Undefined when the release Secrets could not be listed. */
  readonly release?: ReadReleaseResult;
  readonly failures: readonly ReadFailure[];
}

export interface ReadNamespaceOptions {
  readonly releaseName?: string;
  readonly limits?: DecodeLimits;
  /** Told about every password-like value decoding removed from the release (for output redaction). */
  readonly onSecret?: (value: string) => void;
}

/** At most this many releases' deployed revisions are fetched when no --release names one. */
const MAX_RELEASES_DECODED = 10;
/** A Camunda pod template references a dozen ConfigMaps; more is not a Camunda workload's doing. */
const MAX_CONFIG_MAPS = 200;

export async function readNamespace(
  kube: KubeClient,
  namespace: string,
  opts: ReadNamespaceOptions = {},
): Promise<NamespaceInventory> {
  const failures: ReadFailure[] = [];
  const attempt = async <T>(
    what: string,
    verb: ReadFailure['verb'],
    resource: string,
    needed: boolean,
    read: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await read();
    } catch (e) {
      const error = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
      failures.push({ what, verb, resource, error, needed });
      return undefined;
    }
  };
  const [deployments, statefulSets, serviceAccounts, helmSecrets] = await Promise.all([
    attempt('the Deployments', 'list', 'deployments', true, () => kube.listDeployments(namespace)),
    attempt('the StatefulSets', 'list', 'statefulsets', true, () => kube.listStatefulSets(namespace)),
    attempt('the ServiceAccounts', 'list', 'serviceaccounts', false, () =>
      kube.listServiceAccounts(namespace),
    ),
    attempt('the Helm release Secrets', 'list', 'secrets', false, () =>
      kube.listHelmReleaseSecrets(namespace, opts.releaseName),
    ),
  ]);
  const workloads = [...(deployments ?? []), ...(statefulSets ?? [])] as WorkloadLike[];
  const names = referencedConfigMaps(workloads).slice(0, MAX_CONFIG_MAPS);
  const [configMaps, release] = await Promise.all([
    Promise.all(
      names.map((name) =>
        kube.readConfigMap(namespace, name).catch((e: unknown) => {
          // A ConfigMap that does not exist is a fact about the workload (resolution notes it).
          if (!(e instanceof KubeError && e.notFound))
            failures.push({
              what: `ConfigMap ${name}`,
              verb: 'get',
              resource: 'configmaps',
              error: e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e)),
              needed: false,
            });
          return undefined;
        }),
      ),
    ),
    helmSecrets === undefined
      ? Promise.resolve(undefined)
      : readRelease(kube, namespace, helmSecrets, instancesOf(workloads), opts, failures),
  ]);
  return {
    namespace,
    deployments: (deployments ?? []) as WorkloadLike[],
    statefulSets: (statefulSets ?? []) as WorkloadLike[],
    configMaps: configMaps.filter((c) => c !== undefined) as ConfigMapLike[],
    ...(serviceAccounts ? { serviceAccounts: serviceAccounts as ServiceAccountLike[] } : {}),
    ...(release ? { release } : {}),
    failures,
  };
}

/** The release names the Camunda workloads carry (`app.kubernetes.io/instance`). */
function instancesOf(workloads: readonly WorkloadLike[]): string[] {
  const out = new Set<string>();
  for (const w of workloads) {
    const l = { ...w.spec?.template?.metadata?.labels, ...w.metadata?.labels };
    const camunda =
      l['app.kubernetes.io/part-of'] === 'camunda-platform' ||
      (l['helm.sh/chart'] ?? '').startsWith('camunda-platform-');
    if (camunda && l['app.kubernetes.io/instance']) out.add(l['app.kubernetes.io/instance']);
  }
  return [...out];
}

/**
 * Labels say which revision of each release is deployed (helm/helm Storage.Deployed reads nothing
 * else); only those revisions' Secrets are fetched, and of the releases the Camunda workloads name
 * when no --release does (labels do not say which chart a release is, so each is decoded to see).
 */
async function readRelease(
  kube: KubeClient,
  namespace: string,
  metas: ReadonlyArray<{ metadata: SecretLike['metadata'] }>,
  instances: readonly string[],
  opts: ReadNamespaceOptions,
  failures: ReadFailure[],
): Promise<ReadReleaseResult> {
  const secrets: SecretLike[] = metas.map((m) => ({ metadata: m.metadata, type: 'helm.sh/release.v1' }));
  const histories = helmReleaseHistories(secrets);
  let candidates = histories.filter((h) => opts.releaseName === undefined || h.name === opts.releaseName);
  const named = candidates.filter((h) => instances.includes(h.name));
  if (opts.releaseName === undefined && named.length > 0) candidates = named;
  candidates = candidates.slice(0, MAX_RELEASES_DECODED);
  const fetched = await Promise.all(
    candidates.map(async (h) => {
      if (!h.deployed) return undefined;
      try {
        return await kube.readHelmReleaseSecret(namespace, h.deployed.secretName);
      } catch (e) {
        failures.push({
          what: `the Helm release Secret ${h.deployed.secretName}`,
          verb: 'get',
          resource: 'secrets',
          error: e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e)),
          needed: false,
        });
        return undefined;
      }
    }),
  );
  const byName = new Map(
    fetched.flatMap((s) => (s?.metadata?.name ? [[s.metadata.name, s as SecretLike] as const] : [])),
  );
  const keep = new Set(candidates.map((h) => h.name));
  const subset = secrets
    .filter((s) => keep.has(s.metadata?.labels?.name ?? ''))
    .map((s) => byName.get(s.metadata?.name ?? '') ?? s);
  return readDeployedRelease(subset, {
    ...(opts.releaseName !== undefined ? { releaseName: opts.releaseName } : {}),
    limits: opts.limits ?? DEFAULT_DECODE_LIMITS,
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
  });
}
