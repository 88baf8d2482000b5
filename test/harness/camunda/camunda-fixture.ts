// A Camunda 8 namespace as the chart leaves it: the Helm release Secrets (several revisions,
// optionally a newer failed or pending one) and the Deployments, StatefulSets, ConfigMaps and
// ServiceAccounts the templates render for the release's values, as Kubernetes API JSON.
import { dump } from 'js-yaml';
import { CHART_VERSION, chartDefaults, type Line, type Values } from './chart-defaults.js';
import { type HelmStatus, helmReleaseSecret } from './helm-release-secret.js';
import { type IrsaValuesOptions, irsaValues } from './irsa-values.js';
import { renderGateway87, renderWebapp87, renderZeebe87 } from './render-87.js';
import {
  renderIdentity,
  renderKeycloak,
  renderOptimize,
  renderSharedConfigMaps,
  renderSimple,
  renderWebModeler,
} from './render-apps.js';
import { renderOrchestration } from './render-orchestration.js';
import { type Ctx, type K8sObject, mergeValues, on } from './render-support.js';

export interface CamundaFixtureOptions extends IrsaValuesOptions {
  releaseName?: string;
  namespace?: string;
  /** Global overrides (camundaPlatform.fullname: shared ConfigMaps, labels). */
  nameOverride?: string;
  fullnameOverride?: string;
  /** Per component values key, e.g. { identity: { fullnameOverride: 'idp' }, orchestration: { nameOverride: 'core' } }. */
  componentOverrides?: Record<string, { nameOverride?: string; fullnameOverride?: string }>;
  /** More user values, merged over the IRSA ones (and stored in the release). */
  extraValues?: Values;
  /** Values applied to the live workloads only: drift between the release and the pods. */
  liveValues?: Values;
  /** No Helm release Secrets (helm template, Argo CD). */
  helm?: boolean;
  /** Superseded revisions before the deployed one; default 1. */
  previousRevisions?: number;
  /** A newer revision that did not deploy, with different values. */
  newerRevision?: Extract<HelmStatus, 'failed' | 'pending-upgrade' | 'pending-rollback'>;
  /** Store releases without gzip, as Helm did before compressing them. */
  gzip?: boolean;
}

export interface CamundaFixture {
  line: Line;
  releaseName: string;
  namespace: string;
  /** The deployed revision's user values (what `helm get values` prints). */
  userValues: Values;
  /** The chart defaults stored in the release. */
  chartValues: Values;
  secrets: K8sObject[];
  deployments: K8sObject[];
  statefulSets: K8sObject[];
  configMaps: K8sObject[];
  serviceAccounts: K8sObject[];
  all: K8sObject[];
}

const APP_VERSION: Record<Line, string> = {
  '8.7': '8.7.x',
  '8.8': '8.8.x',
  '8.9': '8.9.x',
  '8.10': '8.10.x',
};

/** The objects the chart renders for these values. */
export function renderChart(line: Line, release: string, namespace: string, user: Values): K8sObject[] {
  const ctx: Ctx = {
    line,
    chartVersion: CHART_VERSION[line],
    release,
    namespace,
    v: mergeValues(chartDefaults(line), user),
  };
  const v = ctx.v;
  const mode = String(
    (v.global as Values | undefined)?.topology ? ((v.global as Values).topology as Values).mode : 'combined',
  );
  const out: K8sObject[] = [...renderSharedConfigMaps(ctx)];
  if (line === '8.7') {
    if (on(v, 'zeebe.enabled')) out.push(...renderZeebe87(ctx), ...renderGateway87(ctx));
    if (on(v, 'operate.enabled')) out.push(...renderWebapp87(ctx, 'operate'));
    if (on(v, 'tasklist.enabled')) out.push(...renderWebapp87(ctx, 'tasklist'));
  } else if (on(v, 'orchestration.enabled') && mode !== 'hub') {
    out.push(...renderOrchestration(ctx));
  }
  if (
    on(v, 'optimize.enabled') &&
    (line === '8.7' || !on(v, 'global.noSecondaryStorage')) &&
    mode !== 'hub'
  ) {
    out.push(...renderOptimize(ctx));
  }
  if (on(v, 'identity.enabled') && mode !== 'orchestration') out.push(...renderIdentity(ctx));
  if (line !== '8.10' && on(v, 'identityKeycloak.enabled')) out.push(...renderKeycloak(ctx));
  const modeler =
    line === '8.10'
      ? on(v, 'camundaHub.enabled') || on(v, 'webModeler.enabled')
      : on(v, 'webModeler.enabled');
  if (modeler && mode !== 'orchestration') out.push(...renderWebModeler(ctx));
  if (on(v, 'connectors.enabled') && mode !== 'hub') out.push(...renderSimple(ctx, 'connectors'));
  if (line !== '8.10' && on(v, 'console.enabled')) out.push(...renderSimple(ctx, 'console'));
  return out;
}

/** `helm get manifest`: the rendered documents, each under a `# Source:` comment. */
function manifestOf(objects: readonly K8sObject[]): string {
  return objects
    .map(
      (o) =>
        `---\n# Source: camunda-platform/templates/${o.kind.toLowerCase()}-${o.metadata.name}.yaml\n${dump(o, { noRefs: true })}`,
    )
    .join('');
}

export function camundaFixture(line: Line, opts: CamundaFixtureOptions = {}): CamundaFixture {
  const releaseName = opts.releaseName ?? 'camunda';
  const namespace = opts.namespace ?? 'camunda';
  const overrides: Values = {};
  if (opts.nameOverride) overrides.nameOverride = opts.nameOverride;
  if (opts.fullnameOverride) overrides.fullnameOverride = opts.fullnameOverride;
  for (const [key, o] of Object.entries(opts.componentOverrides ?? {})) overrides[key] = { ...o };
  const userValues = mergeValues(mergeValues(irsaValues(line, opts), overrides), opts.extraValues ?? {});
  const chartValues = chartDefaults(line);
  const released = renderChart(line, releaseName, namespace, userValues);
  const live = opts.liveValues
    ? renderChart(line, releaseName, namespace, mergeValues(userValues, opts.liveValues))
    : released;

  const secrets: K8sObject[] = [];
  if (opts.helm !== false) {
    const previous = opts.previousRevisions ?? 1;
    const record = (revision: number, status: HelmStatus, config: Values) => ({
      name: releaseName,
      namespace,
      revision,
      status,
      chartVersion: CHART_VERSION[line],
      appVersion: APP_VERSION[line],
      chartValues,
      config,
      manifest: manifestOf(renderChart(line, releaseName, namespace, config)),
      deployedAt: new Date(Date.UTC(2026, 3, 1 + revision)),
    });
    // Earlier revisions had another Aurora endpoint, so picking one of them shows in the model.
    const older = mergeValues(userValues, {
      identity: { externalDatabase: { host: 'old-aurora.example.internal' } },
    });
    for (let r = 1; r <= previous; r++)
      secrets.push(helmReleaseSecret(record(r, 'superseded', older), { gzip: opts.gzip }));
    secrets.push(helmReleaseSecret(record(previous + 1, 'deployed', userValues), { gzip: opts.gzip }));
    if (opts.newerRevision) {
      const next = mergeValues(userValues, { identity: { serviceAccount: { name: 'never-deployed-sa' } } });
      secrets.push(helmReleaseSecret(record(previous + 2, opts.newerRevision, next), { gzip: opts.gzip }));
    }
  }
  const byKind = (kind: string) => live.filter((o) => o.kind === kind);
  const deployments = byKind('Deployment');
  const statefulSets = byKind('StatefulSet');
  const configMaps = byKind('ConfigMap');
  const serviceAccounts = byKind('ServiceAccount');
  return {
    line,
    releaseName,
    namespace,
    userValues,
    chartValues,
    secrets,
    deployments,
    statefulSets,
    configMaps,
    serviceAccounts,
    all: [...secrets, ...live],
  };
}
