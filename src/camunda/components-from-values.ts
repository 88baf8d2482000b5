import type { AppConfig } from './app-config.js';
import {
  type CamundaComponent,
  type ChartLine,
  type ComponentId,
  type Fact,
  ROLE_ARN_ANNOTATION,
} from './camunda-component.js';
import { chartLineOf } from './chart-line.js';
import { bitnamiFullname, componentFullname, renderReleaseTemplate, truncName } from './chart-names.js';
import { type ComponentSpec, componentSpecs } from './component-catalog.js';
import type { HelmRelease } from './helm-release.js';
import { opensearchUses } from './opensearch-uses.js';
import { postgresUses } from './postgres-uses.js';
import {
  keycloakView,
  type ReleaseRef,
  truthy,
  valuesAppConfig,
  webModelerView,
} from './values-app-config.js';
import { releaseValuesView, subView, type ValuesView } from './values-view.js';

/**
 * The components a Helm release deploys, predicted from its values the way the chart's templates
 * compute them: which are enabled, the workload and ServiceAccount names (nameOverride,
 * fullnameOverride, serviceAccount.name), the IRSA annotation the chart puts on the ServiceAccount,
 * and the database and OpenSearch connections the rendered configuration sets up.
 */

export type ValuesDiscovery =
  | { readonly ok: true; readonly line: Fact<ChartLine>; readonly components: readonly CamundaComponent[] }
  | { readonly ok: false; readonly problem: 'unknown-chart-line'; readonly message: string };

export function componentsFromRelease(release: HelmRelease): ValuesDiscovery {
  const line = chartLineOf(release.chart);
  if (!line) {
    return {
      ok: false,
      problem: 'unknown-chart-line',
      message: `chart ${release.chart.name} ${release.chart.version} (app ${release.chart.appVersion}) is not a known Camunda chart line`,
    };
  }
  const view = releaseValuesView(release.defaults, release.config);
  return {
    ok: true,
    line: { value: line, source: `release:chart.metadata.version=${release.chart.version}` },
    components: componentsFromValues(line, view, { name: release.name, namespace: release.namespace }),
  };
}

export function componentsFromValues(
  line: ChartLine,
  v: ValuesView,
  release: ReleaseRef,
): CamundaComponent[] {
  const out: CamundaComponent[] = [];
  for (const spec of componentSpecs(line)) {
    if (!enabled(spec.id, line, v)) continue;
    const names = naming(spec.id, line, v, release);
    const config = valuesAppConfig(spec.id, line, v, release);
    out.push(build(spec, names, config));
  }
  return out;
}

function build(spec: ComponentSpec, names: Naming, config: AppConfig): CamundaComponent {
  return {
    id: spec.id,
    workload: { kind: spec.kind, name: names.workload, container: spec.container },
    serviceAccount: names.serviceAccount,
    ...(names.roleArn ? { roleArn: names.roleArn } : {}),
    postgres: postgresUses(spec.app, config),
    opensearch: opensearchUses(spec.app, config),
    notes: [...names.notes, ...config.notes],
  };
}

const mode = (v: ValuesView) => String(v.get('global.topology.mode')?.value ?? 'combined');

function enabled(id: ComponentId, line: ChartLine, v: ValuesView): boolean {
  const on = (key: string) => truthy(v.get(`${key}.enabled`));
  const noStorage = truthy(v.get('global.noSecondaryStorage'));
  switch (id) {
    case 'zeebe':
    case 'zeebe-gateway':
      return on('zeebe');
    case 'orchestration':
      return on('orchestration') && (line !== '8.10' || mode(v) !== 'hub');
    case 'optimize':
      return on('optimize') && (line === '8.7' || !noStorage) && (line !== '8.10' || mode(v) !== 'hub');
    case 'identity':
      return on('identity') && (line !== '8.10' || mode(v) !== 'orchestration');
    case 'keycloak': {
      // Helm dependency conditions: the first path that holds a boolean decides.
      const legacy = line === '8.7' ? v.get('identity.keycloak.enabled') : undefined;
      return typeof legacy?.value === 'boolean' ? legacy.value : on('identityKeycloak');
    }
    case 'web-modeler-restapi':
    case 'web-modeler-webapp':
    case 'web-modeler-websockets':
      return line === '8.10'
        ? mode(v) !== 'orchestration' && (on('camundaHub') || on('webModeler'))
        : on('webModeler');
    case 'connectors':
      return on('connectors') && (line !== '8.10' || mode(v) !== 'hub');
    default:
      return on(id);
  }
}

interface Naming {
  readonly workload: Fact<string>;
  readonly serviceAccount: Fact<string>;
  readonly roleArn?: Fact<string>;
  readonly notes: readonly string[];
}

const VALUES_KEY: Partial<Record<ComponentId, string>> = {
  operate: 'operate',
  tasklist: 'tasklist',
  optimize: 'optimize',
  identity: 'identity',
  connectors: 'connectors',
  console: 'console',
};

function naming(id: ComponentId, line: ChartLine, v: ValuesView, release: ReleaseRef): Naming {
  switch (id) {
    case 'zeebe': {
      const cluster = clusterName(v, release);
      return serviceAccountNaming(subView(v, 'zeebe'), fullname(release, 'zeebe', subView(v, 'zeebe')), {
        value: truncName(cluster.value),
        source: cluster.source,
      });
    }
    case 'zeebe-gateway': {
      const cluster = clusterName(v, release);
      const gw = subView(v, 'zeebeGateway');
      return serviceAccountNaming(gw, fullname(release, 'zeebe-gateway', gw), {
        value: truncName(`${cluster.value || release.name}-gateway`),
        source: `derived:zeebe.names.gateway(${cluster.source})`,
      });
    }
    case 'orchestration': {
      // The broker keeps its 8.7 name: componentName "zeebe" (orchestration/_helpers.tpl).
      const o = subView(v, 'orchestration');
      const fn = fullname(release, 'zeebe', o);
      return serviceAccountNaming(o, fn, fn);
    }
    case 'keycloak': {
      const kc = keycloakView(v);
      const full = kc.get('fullnameOverride');
      const name = kc.get('nameOverride');
      const fn: Fact<string> = {
        value: bitnamiFullname(release.name, 'keycloak', {
          fullnameOverride: full?.value,
          nameOverride: name?.value,
        }),
        source: full
          ? full.source
          : `derived:common.names.fullname(${name?.source ?? 'chart name keycloak'})`,
      };
      const create = kc.get('serviceAccount.create');
      const saName = kc.get('serviceAccount.name');
      const sa = truthy(saName)
        ? { value: String(saName!.value), source: saName!.source }
        : truthy(create)
          ? { value: fn.value, source: `derived:keycloak.serviceAccountName(${fn.source})` }
          : {
              value: 'default',
              source: `derived:keycloak.serviceAccountName(${create?.source ?? 'create unset'})`,
            };
      return { workload: fn, serviceAccount: sa, ...roleArnOf(kc, create), notes: [] };
    }
    case 'web-modeler-restapi':
    case 'web-modeler-webapp':
    case 'web-modeler-websockets': {
      const wm = webModelerView(line, v);
      const fn = fullname(release, 'web-modeler', wm);
      const [suffix, cut] =
        id === 'web-modeler-restapi'
          ? ['restapi', 55]
          : id === 'web-modeler-webapp'
            ? ['webapp', 56]
            : ['websockets', 52];
      return serviceAccountNaming(wm, fn, {
        value: `${truncName(fn.value, cut)}-${suffix}`,
        source: `derived:webModeler.${suffix}.fullname(${fn.source})`,
      });
    }
    default: {
      const key = VALUES_KEY[id] ?? id;
      const c = subView(v, key);
      const fn = fullname(release, key, c);
      return serviceAccountNaming(c, fn, fn);
    }
  }
}

/** `global.zeebeClusterName` through tpl: the 8.7 broker StatefulSet and gateway names. */
function clusterName(v: ValuesView, release: ReleaseRef): Fact<string> {
  const f = v.get('global.zeebeClusterName');
  const r = renderReleaseTemplate(String(f?.value ?? ''), release);
  return 'value' in r
    ? { value: r.value, source: f?.source ?? 'none' }
    : {
        value: `${release.name}-zeebe`,
        source: `${f?.source ?? 'none'} (template ${r.unresolved} not rendered)`,
      };
}

/** camundaPlatform.componentFullname with the component's own overrides. */
function fullname(release: ReleaseRef, componentName: string, c: ValuesView): Fact<string> {
  const full = c.get('fullnameOverride');
  const name = c.get('nameOverride');
  const value = componentFullname(release.name, componentName, {
    fullnameOverride: full?.value,
    nameOverride: name?.value,
  });
  if (truthy(full)) return { value, source: full!.source };
  if (truthy(name)) return { value, source: `derived:componentFullname(${name!.source})` };
  return { value, source: `derived:componentFullname(${componentName})` };
}

/** camundaPlatform.serviceAccountName: serviceAccount.name, else the fullname, or "default" when disabled. */
function serviceAccountNaming(c: ValuesView, fn: Fact<string>, workload: Fact<string>): Naming {
  const enabled = c.get('serviceAccount.enabled');
  const name = c.get('serviceAccount.name');
  const serviceAccount = truthy(name)
    ? { value: String(name!.value), source: name!.source }
    : truthy(enabled)
      ? { value: fn.value, source: `derived:serviceAccountName(${fn.source})` }
      : {
          value: 'default',
          source: `derived:serviceAccountName(${enabled?.source ?? 'serviceAccount.enabled unset'})`,
        };
  return { workload, serviceAccount, ...roleArnOf(c, enabled), notes: [] };
}

/** The chart writes serviceAccount.annotations onto the ServiceAccount only when it creates it. */
function roleArnOf(c: ValuesView, creates: Fact<unknown> | undefined): { roleArn?: Fact<string> } {
  if (!truthy(creates)) return {};
  const arn = c.get(['serviceAccount', 'annotations', ROLE_ARN_ANNOTATION]);
  return arn && typeof arn.value === 'string' ? { roleArn: { value: arn.value, source: arn.source } } : {};
}
