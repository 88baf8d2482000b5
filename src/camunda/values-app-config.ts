import type { AppConfig, ConfigFile, ConfigValue, PropertyValue } from './app-config.js';
import type { ChartLine, ComponentId, Fact } from './camunda-component.js';
import { lineAtLeast } from './chart-line.js';
import { componentFullname, renderReleaseTemplate } from './chart-names.js';
import { readConfigFile } from './read-config-file.js';
import { isPlaceholderOnly, isSecretName, scrubSecretText } from './secret-like.js';
import { canonicalProperty } from './spring-property-name.js';
import { overlayView, subView, tableView, type ValuesView } from './values-view.js';

/**
 * What the chart renders into a component's container env and application.yaml, predicted from
 * the release's values, for the database and OpenSearch settings only. Each rule names the
 * template it follows; the result is read by the same code as a live pod's configuration, so the
 * two can be compared. Values-side facts cannot see envFrom ConfigMaps or Secrets' contents.
 */

export interface ReleaseRef {
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The Keycloak subchart's own defaults (charts/keycloak-24/values.yaml) for the keys read here; a
 * stored release does not carry subcharts' values.
 */
export const KEYCLOAK_SUBCHART_DEFAULTS = {
  serviceAccount: { create: true, name: '' },
  postgresql: { enabled: true, auth: { username: 'bn_keycloak', database: 'bitnami_keycloak' } },
  externalDatabase: {
    host: '',
    port: 5432,
    user: 'bn_keycloak',
    database: 'bitnami_keycloak',
    schema: 'public',
  },
} as const;

/** The Keycloak subchart's values: the parent's `identityKeycloak` over the subchart defaults. */
export function keycloakView(v: ValuesView): ValuesView {
  return overlayView(
    tableView(KEYCLOAK_SUBCHART_DEFAULTS, 'subchart-default:keycloak'),
    subView(v, 'identityKeycloak'),
  );
}

/** 8.10's `camundaHub.values`: webModeler with camundaHub's non-null keys on top. */
export function webModelerView(line: ChartLine, v: ValuesView): ValuesView {
  const wm = subView(v, 'webModeler');
  return line === '8.10' ? overlayView(wm, subView(v, 'camundaHub')) : wm;
}

/** Go template truthiness: false, 0, "", null and empty collections are false. */
export function truthy(f: Fact<unknown> | undefined): boolean {
  const v = f?.value;
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const text = (f: Fact<unknown> | undefined): string =>
  f === undefined || f.value === null || f.value === undefined ? '' : String(f.value);

class Rendering {
  readonly env: Record<string, ConfigValue> = {};
  readonly props: Record<string, PropertyValue> = {};
  readonly files: ConfigFile[] = [];
  readonly notes: string[] = [];
  constructor(
    readonly release: ReleaseRef,
    readonly configFile: string,
  ) {}

  /** Sprig `tpl` over a value the chart passes through it. */
  tpl(f: Fact<unknown> | undefined): Fact<string> | { unresolved: string; source: string } {
    const s = text(f);
    const r = renderReleaseTemplate(s, this.release);
    return 'value' in r
      ? { value: r.value, source: f?.source ?? 'none' }
      : { unresolved: r.unresolved, source: f?.source ?? 'none' };
  }

  setProp(key: string, value: string, source: string): void {
    const secret = value !== '' && isSecretName(key) && !isPlaceholderOnly(value);
    const scrubbed = scrubSecretText(value);
    this.props[canonicalProperty(key)] = secret
      ? { key, source, redacted: true }
      : { key, source, value: scrubbed.text, ...(scrubbed.redacted ? { redacted: true as const } : {}) };
  }

  setEnv(name: string, value: ConfigValue): void {
    this.env[name] = value;
  }

  literalEnv(name: string, value: string, source: string): void {
    const secret = value !== '' && isSecretName(name) && !isPlaceholderOnly(value);
    const scrubbed = scrubSecretText(value);
    this.env[name] = secret
      ? { source, redacted: true }
      : { source, value: scrubbed.text, ...(scrubbed.redacted ? { redacted: true as const } : {}) };
  }

  /** A values `env:` list, rendered by the chart with `tpl (toYaml .)` after its own entries. */
  valuesEnv(v: ValuesView, path: string | readonly string[], tpl = true): void {
    const list = v.get(path);
    if (!list || !Array.isArray(list.value)) return;
    list.value.forEach((raw, i) => {
      const e = raw as {
        name?: unknown;
        value?: unknown;
        valueFrom?: Record<string, Record<string, unknown>>;
      };
      if (typeof e?.name !== 'string') return;
      const source = `${list.source}[${i}]`;
      if (e.valueFrom?.secretKeyRef) {
        const ref = {
          name: String(e.valueFrom.secretKeyRef.name ?? ''),
          key: String(e.valueFrom.secretKeyRef.key ?? ''),
        };
        this.setEnv(e.name, { source: `${source} <- secret:${ref.name}/${ref.key}`, secretRef: ref });
      } else if (e.valueFrom?.configMapKeyRef) {
        const { name, key } = e.valueFrom.configMapKeyRef;
        this.setEnv(e.name, {
          source,
          unresolved: `from ConfigMap ${String(name)} key ${String(key)}, not known from values`,
        });
      } else if (e.valueFrom) {
        this.setEnv(e.name, { source, unresolved: 'set by the kubelet' });
      } else {
        const value = e.value === undefined || e.value === null ? '' : String(e.value);
        const r = tpl ? renderReleaseTemplate(value, this.release) : { value };
        if ('value' in r) this.literalEnv(e.name, r.value, source);
        else this.setEnv(e.name, { source, unresolved: `template ${r.unresolved}` });
      }
    });
  }

  envFromNote(v: ValuesView, path: string): void {
    const f = v.get(path);
    if (truthy(f)) this.notes.push(`${f!.source} adds envFrom sources whose contents the values do not show`);
  }

  /** `<component>.configuration` replaces the whole rendered application.yaml. */
  overridden(v: ValuesView, path: string): boolean {
    const f = v.get(path);
    if (!truthy(f)) return false;
    const r = renderReleaseTemplate(text(f), this.release);
    this.files.push(readConfigFile(this.configFile, 'value' in r ? r.value : text(f), f!.source));
    return true;
  }

  config(): AppConfig {
    const rendered: ConfigFile = {
      name: this.configFile,
      source: 'derived:chart-rendering',
      properties: this.props,
    };
    return {
      env: this.env,
      commandLine: {},
      systemProperties: {},
      springFiles: this.files.length ? this.files : [rendered],
      otherFiles: [],
      notes: this.notes,
    };
  }
}

const or = (...fs: Array<Fact<unknown> | undefined>): Fact<boolean> => {
  const hit = fs.find((f) => truthy(f));
  return { value: Boolean(hit), source: (hit ?? fs.find(Boolean))?.source ?? 'none' };
};

const join = (...sources: Array<string | undefined>) =>
  [...new Set(sources.filter((s): s is string => Boolean(s) && s !== 'none'))].join(' + ') || 'none';

/** Go's `default`: the first truthy value. */
function dflt(...fs: Array<Fact<unknown> | undefined>): Fact<unknown> | undefined {
  return fs.find((f) => truthy(f));
}

/** camundaPlatform.opensearchURL; 8.9+ prefers orchestration's URL, then Optimize's parts. */
export function opensearchUrl(
  line: ChartLine,
  v: ValuesView,
  release: ReleaseRef,
): Fact<string> | { unresolved: string } {
  const r = new Rendering(release, '');
  if (lineAtLeast(line, '8.9')) {
    const direct = v.get('orchestration.data.secondaryStorage.opensearch.url');
    if (truthy(direct)) return { value: text(direct), source: direct!.source };
    return optimizeOpensearchUrl(line, v, release);
  }
  const protocol = v.get('global.opensearch.url.protocol');
  const host = r.tpl(v.get('global.opensearch.url.host'));
  const port = v.get('global.opensearch.url.port');
  if ('unresolved' in host) return { unresolved: host.unresolved };
  return urlFact(protocol, host, port);
}

/** optimize.effectiveOsURL (8.9+): Optimize's protocol/host/port, each falling back to global. */
function optimizeOpensearchUrl(
  line: ChartLine,
  v: ValuesView,
  release: ReleaseRef,
): Fact<string> | { unresolved: string } {
  const host = opensearchHost(line, v, release);
  if ('unresolved' in host) return host;
  const protocol = dflt(
    v.get('optimize.database.opensearch.url.protocol'),
    v.get('global.opensearch.url.protocol'),
  );
  const port = dflt(v.get('optimize.database.opensearch.url.port'), v.get('global.opensearch.url.port'));
  return urlFact(protocol, host, port);
}

/** `protocol://host:port` as the chart's templates join them, with the source of each part. */
function urlFact(
  protocol: Fact<unknown> | undefined,
  host: Fact<string>,
  port: Fact<unknown> | undefined,
): Fact<string> {
  return {
    value: `${text(protocol)}://${host.value}:${text(port)}`,
    source: join(protocol?.source, host.source, port?.source),
  };
}

/** camundaPlatform.opensearchHost: tpl of Optimize's host (8.9+), else of the global host. */
function opensearchHost(
  line: ChartLine,
  v: ValuesView,
  release: ReleaseRef,
): Fact<string> | { unresolved: string } {
  const r = new Rendering(release, '');
  if (lineAtLeast(line, '8.9')) {
    const own = r.tpl(v.get('optimize.database.opensearch.url.host'));
    if ('value' in own && own.value) return own;
  }
  const g = r.tpl(v.get('global.opensearch.url.host'));
  return 'value' in g ? g : { unresolved: g.unresolved };
}

/** Renders the env and application properties the chart gives one component. */
export function valuesAppConfig(
  id: ComponentId,
  line: ChartLine,
  v: ValuesView,
  release: ReleaseRef,
): AppConfig {
  switch (id) {
    case 'zeebe':
      return zeebe87(v, release);
    case 'operate':
    case 'tasklist':
      return webapp87(id, v, release);
    case 'orchestration':
      return line === '8.8' ? orchestration88(v, release) : orchestration89(line, v, release);
    case 'optimize':
      return optimize(line, v, release);
    case 'identity':
      return identity(line, v, release);
    case 'keycloak':
      return keycloak(v, release);
    case 'web-modeler-restapi':
      return webModelerRestapi(line, v, release);
    default:
      return new Rendering(release, 'application.yaml').config();
  }
}

/** 8.7 templates/zeebe/configmap.yaml + statefulset.yaml */
function zeebe87(v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  if (!r.overridden(v, 'zeebe.configuration')) {
    const es =
      truthy(v.get('global.elasticsearch.enabled')) && !truthy(v.get('global.elasticsearch.disableExporter'));
    if (!es && truthy(v.get('global.opensearch.enabled'))) {
      const url = opensearchUrl('8.7', v, release);
      const base = 'zeebe.broker.exporters.opensearch';
      r.setProp(
        `${base}.className`,
        'io.camunda.zeebe.exporter.opensearch.OpensearchExporter',
        'derived:chart-rendering',
      );
      if ('value' in url) r.setProp(`${base}.args.url`, url.value, url.source);
      else r.notes.push(`OpenSearch URL: template ${url.unresolved}`);
      const user = v.get('global.opensearch.auth.username');
      if (truthy(user)) r.setProp(`${base}.args.authentication.username`, text(user), user!.source);
      const aws = v.get('global.opensearch.aws.enabled');
      if (truthy(aws)) r.setProp(`${base}.args.aws.enabled`, 'true', aws!.source);
    }
  }
  r.valuesEnv(v, 'zeebe.env');
  r.envFromNote(v, 'zeebe.envFrom');
  return r.config();
}

/** 8.7 templates/{operate,tasklist}/configmap.yaml */
function webapp87(app: 'operate' | 'tasklist', v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  if (!r.overridden(v, `${app}.configuration`) && truthy(v.get('global.opensearch.enabled'))) {
    const url = opensearchUrl('8.7', v, release);
    const user = v.get('global.opensearch.auth.username');
    const aws = v.get('global.opensearch.aws.enabled');
    r.setProp(`camunda.${app}.database`, 'opensearch', 'derived:chart-rendering');
    for (const client of ['opensearch', 'zeebeOpensearch']) {
      const base = `camunda.${app}.${client}`;
      if ('value' in url) r.setProp(`${base}.url`, url.value, url.source);
      else r.notes.push(`OpenSearch URL: template ${url.unresolved}`);
      if (truthy(user)) r.setProp(`${base}.username`, text(user), user!.source);
    }
    // Only the webapp client gets the switch in 8.7; zeebeOpensearch has none.
    if (truthy(aws)) r.setProp(`camunda.${app}.opensearch.awsEnabled`, 'true', aws!.source);
  }
  r.valuesEnv(v, `${app}.env`);
  r.envFromNote(v, `${app}.envFrom`);
  return r.config();
}

/** 8.8 templates/orchestration/files/_application-unified.yaml */
function orchestration88(v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  if (!r.overridden(v, 'orchestration.configuration')) {
    const os = truthy(v.get('global.opensearch.enabled'));
    const es = truthy(v.get('global.elasticsearch.enabled'));
    const aws = v.get('global.opensearch.aws.enabled');
    const awsText = String(truthy(aws));
    const awsSrc = aws?.source ?? 'none';
    const url = opensearchUrl('8.8', v, release);
    const username = v.get('global.opensearch.auth.username');
    const type = truthy(v.get('global.noSecondaryStorage'))
      ? 'none'
      : es
        ? 'elasticsearch'
        : os
          ? 'opensearch'
          : 'unset';
    r.setProp(
      'camunda.data.secondary-storage.type',
      type,
      join(v.get('global.elasticsearch.enabled')?.source, v.get('global.opensearch.enabled')?.source),
    );
    if (os) {
      r.setProp('camunda.database.awsEnabled', awsText, awsSrc);
      if ('value' in url) r.setProp('camunda.data.secondary-storage.opensearch.url', url.value, url.source);
      r.setProp(
        'camunda.data.secondary-storage.opensearch.username',
        text(username),
        username?.source ?? 'none',
      );
      for (const app of ['operate', 'tasklist']) {
        if (!truthy(v.get(`orchestration.profiles.${app}`))) continue;
        r.setProp(`camunda.${app}.opensearch.awsEnabled`, awsText, awsSrc);
        r.setProp(`camunda.${app}.zeebeOpensearch.awsEnabled`, awsText, awsSrc);
        r.setProp(`camunda.${app}.zeebeOpensearch.username`, text(username), username?.source ?? 'none');
      }
    }
    if (truthy(v.get('orchestration.profiles.broker'))) {
      const zeebeExp = truthy(v.get('orchestration.exporters.zeebe.enabled'));
      const feeds = (on: boolean) =>
        on &&
        (zeebeExp ||
          truthy(v.get('optimize.enabled')) ||
          truthy(v.get('orchestration.migration.data.enabled')));
      const regionsOk = zeebeExp || Number(text(v.get('global.multiregion.regions')) || 0) < 2;
      if (!(feeds(es) && regionsOk) && feeds(os) && regionsOk) {
        const base = 'zeebe.broker.exporters.opensearch.args';
        if ('value' in url) r.setProp(`${base}.url`, url.value, url.source);
        if (truthy(username)) r.setProp(`${base}.authentication.username`, text(username), username!.source);
        if (truthy(aws)) r.setProp(`${base}.aws.enabled`, 'true', awsSrc);
      }
      if (type !== 'none' && truthy(v.get('orchestration.exporters.camunda.enabled'))) {
        const base = 'zeebe.broker.exporters.camundaexporter.args.connect';
        r.setProp(`${base}.type`, type, 'derived:orchestration.secondaryStorage');
        if (es) r.notes.push('the Camunda exporter writes to Elasticsearch');
        else if ('value' in url) r.setProp(`${base}.url`, url.value, url.source);
        if (truthy(username)) r.setProp(`${base}.username`, text(username), username!.source);
        r.setProp(`${base}.awsEnabled`, awsText, awsSrc);
      }
    }
  }
  r.valuesEnv(v, 'orchestration.env');
  r.envFromNote(v, 'orchestration.envFrom');
  return r.config();
}

/** orchestration.secondaryStorage (8.9+). */
function secondaryStorage89(v: ValuesView): Fact<string> {
  const explicit = v.get('orchestration.data.secondaryStorage.type');
  if (truthy(explicit)) return { value: text(explicit), source: explicit!.source };
  const checks: Array<[string, Array<Fact<unknown> | undefined>]> = [
    ['none', [v.get('global.noSecondaryStorage')]],
    ['rdbms', [v.get('orchestration.exporters.rdbms.enabled')]],
    [
      'elasticsearch',
      [v.get('global.elasticsearch.enabled'), v.get('optimize.database.elasticsearch.enabled')],
    ],
    ['opensearch', [v.get('global.opensearch.enabled'), v.get('optimize.database.opensearch.enabled')]],
  ];
  for (const [type, facts] of checks) {
    const hit = facts.find((f) => truthy(f));
    if (hit) return { value: type, source: hit.source };
  }
  return { value: 'unset', source: 'derived:orchestration.secondaryStorage' };
}

/** 8.9 and 8.10 templates/orchestration/files/_application.yaml */
function orchestration89(line: ChartLine, v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  if (!r.overridden(v, 'orchestration.configuration')) {
    const osOn = truthy(v.get('global.opensearch.enabled'));
    const esOn = truthy(v.get('global.elasticsearch.enabled'));
    const optimizeOn = truthy(v.get('optimize.enabled')) && v.get('global.topology.mode')?.value !== 'hub';
    const optOs = truthy(v.get('optimize.database.opensearch.enabled'));
    const optEs = truthy(v.get('optimize.database.elasticsearch.enabled'));
    const aws = or(
      v.get('orchestration.data.secondaryStorage.opensearch.aws.enabled'),
      v.get('global.opensearch.aws.enabled'),
    );
    const type = secondaryStorage89(v);
    const url = opensearchUrl(line, v, release);
    const username = dflt(
      v.get('orchestration.data.secondaryStorage.opensearch.auth.username'),
      v.get('global.opensearch.auth.username'),
    );
    r.setProp('camunda.data.secondary-storage.type', type.value, type.source);
    if (osOn) r.setProp('camunda.database.awsEnabled', String(aws.value), aws.source);
    if (osOn || optOs || type.value === 'opensearch') {
      const base = 'camunda.data.secondary-storage.opensearch';
      r.setProp(`${base}.aws-enabled`, String(aws.value), aws.source);
      if ('value' in url) r.setProp(`${base}.url`, url.value, url.source);
      else r.notes.push(`OpenSearch URL: template ${url.unresolved}`);
      r.setProp(`${base}.username`, text(username), username?.source ?? 'none');
    }
    if (truthy(v.get('orchestration.exporters.rdbms.enabled'))) {
      const base = 'camunda.data.secondary-storage.rdbms';
      const rv = subView(v, 'orchestration.data.secondaryStorage.rdbms');
      const a = rv.get('aws.enabled');
      r.setProp(`${base}.aws-enabled`, String(truthy(a)), a?.source ?? 'none');
      r.setProp(`${base}.url`, text(rv.get('url')), rv.get('url')?.source ?? 'none');
      r.setProp(`${base}.username`, text(rv.get('username')), rv.get('username')?.source ?? 'none');
    }
    if (osOn) {
      for (const app of ['operate', 'tasklist']) {
        if (!truthy(v.get(`orchestration.profiles.${app}`))) continue;
        r.setProp(`camunda.${app}.opensearch.awsEnabled`, String(aws.value), aws.source);
        r.setProp(`camunda.${app}.zeebeOpensearch.awsEnabled`, String(aws.value), aws.source);
      }
    }
    if (truthy(v.get('orchestration.profiles.broker'))) {
      const zeebeExp = truthy(v.get('orchestration.exporters.zeebe.enabled'));
      const rdbms = truthy(v.get('orchestration.exporters.rdbms.enabled'));
      const regionsOk = zeebeExp || Number(text(v.get('global.multiregion.regions')) || 0) < 2;
      const legacyEs =
        ((esOn && rdbms && optimizeOn) || (esOn && zeebeExp) || ((esOn || optEs) && optimizeOn)) && regionsOk;
      const legacyOs = ((osOn && zeebeExp) || ((osOn || optOs) && optimizeOn)) && regionsOk;
      if (!legacyEs && legacyOs) {
        // Optimize-owned when Optimize is on and has a host: endpoint and AWS mode follow Optimize.
        const host = opensearchHost(line, v, release);
        const owned = optimizeOn && 'value' in host && host.value !== '';
        const exUrl = owned ? optimizeOpensearchUrl(line, v, release) : url;
        const exAws = owned
          ? or(v.get('optimize.database.opensearch.aws.enabled'), v.get('global.opensearch.aws.enabled'))
          : aws;
        const base = 'zeebe.broker.exporters.opensearch.args';
        if ('value' in exUrl) r.setProp(`${base}.url`, exUrl.value, exUrl.source);
        if (exAws.value) r.setProp(`${base}.aws.enabled`, 'true', exAws.source);
        else {
          const user = owned
            ? dflt(
                v.get('optimize.database.opensearch.auth.username'),
                v.get('global.opensearch.auth.username'),
              )
            : dflt(v.get('optimize.database.opensearch.auth.username'), username);
          r.setProp(`${base}.authentication.username`, text(user), user?.source ?? 'none');
        }
      }
      const camundaExp = truthy(v.get('orchestration.exporters.camunda.enabled'));
      if (type.value !== 'none' && camundaExp && !rdbms) {
        const base = 'zeebe.broker.exporters.camundaexporter.args.connect';
        r.setProp(`${base}.type`, type.value, type.source);
        r.setProp(`${base}.awsEnabled`, String(aws.value), aws.source);
      }
    }
    importExtraConfiguration(r, v, 'orchestration.extraConfiguration');
  }
  r.valuesEnv(v, 'orchestration.env');
  r.envFromNote(v, 'orchestration.envFrom');
  return r.config();
}

/** 8.9+ `extraConfiguration: [{file, content, springImport}]` files are spring.config.import-ed. */
function importExtraConfiguration(r: Rendering, v: ValuesView, path: string): void {
  const list = v.get(path);
  if (!list || !Array.isArray(list.value)) return;
  const rendered: ConfigFile = { name: r.configFile, source: 'derived:chart-rendering', properties: r.props };
  if (r.files.length === 0) r.files.push(rendered);
  list.value.forEach((entry, i) => {
    const e = entry as { file?: unknown; content?: unknown; springImport?: unknown };
    if (e?.springImport === false || typeof e?.content !== 'string') return;
    r.files.push(
      readConfigFile(String(e.file ?? `extra-${i}.yaml`), e.content, `${list.source}[${i}].content`),
    );
  });
}

/** templates/optimize/deployment.yaml env (8.7/8.8 global keys; 8.9+ optimize.database first). */
function optimize(line: ChartLine, v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'environment-config.yaml');
  const modern = lineAtLeast(line, '8.9');
  const host = opensearchHost(line, v, release);
  const on = modern ? 'unresolved' in host || host.value !== '' : truthy(v.get('global.opensearch.enabled'));
  if (on) {
    const protocol = modern
      ? dflt(v.get('optimize.database.opensearch.url.protocol'), v.get('global.opensearch.url.protocol'))
      : v.get('global.opensearch.url.protocol');
    if (text(protocol) === 'https')
      r.literalEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED', 'true', protocol!.source);
    r.literalEnv('CAMUNDA_OPTIMIZE_DATABASE', 'opensearch', 'derived:chart-rendering');
    const port = modern
      ? dflt(v.get('optimize.database.opensearch.url.port'), v.get('global.opensearch.url.port'))
      : v.get('global.opensearch.url.port');
    r.literalEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT', text(port), port?.source ?? 'none');
    if ('value' in host) r.literalEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_HOST', host.value, host.source);
    else
      r.setEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_HOST', {
        source: 'global.opensearch.url.host',
        unresolved: host.unresolved,
      });
    const user = modern
      ? dflt(v.get('optimize.database.opensearch.auth.username'), v.get('global.opensearch.auth.username'))
      : v.get('global.opensearch.auth.username');
    if (!modern || truthy(user)) {
      r.literalEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_USERNAME', text(user), user?.source ?? 'none');
    }
  }
  const aws = modern
    ? or(v.get('optimize.database.opensearch.aws.enabled'), v.get('global.opensearch.aws.enabled'))
    : or(v.get('global.opensearch.aws.enabled'));
  if (aws.value) r.literalEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED', 'true', aws.source);
  r.valuesEnv(v, 'optimize.env');
  r.envFromNote(v, 'optimize.envFrom');
  return r.config();
}

/** templates/identity/configmap.yaml `spring.datasource` and identity/_helpers.tpl postgresql helpers. */
function identity(line: ChartLine, v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  if (!r.overridden(v, 'identity.configuration')) {
    const external = truthy(v.get('identity.externalDatabase.enabled'));
    const bundled = line !== '8.10' && truthy(v.get('identityPostgresql.enabled'));
    if (external || bundled) {
      const ed = subView(v, 'identity.externalDatabase');
      let host: Fact<unknown>;
      let port: Fact<unknown>;
      let db: Fact<unknown> | undefined;
      let user: Fact<unknown> | undefined;
      if (external) {
        host = ed.get('host') ?? { value: '', source: 'absent:identity.externalDatabase.host' };
        port = ed.get('port') ?? { value: '5432', source: 'derived:identity.postgresql.port default' };
        db = ed.get('database');
        user = ed.get('username');
      } else {
        const name = v.get('identityPostgresql.nameOverride');
        host = {
          value: componentFullname(release.name, text(name)),
          source: `derived:identity.postgresql.id(${name?.source ?? ''})`,
        };
        port = { value: '5432', source: 'derived:identity bundled PostgreSQL' };
        db = v.get('identityPostgresql.auth.database');
        user = v.get('identityPostgresql.auth.username');
      }
      r.setProp(
        'spring.datasource.url',
        `jdbc:postgresql://${text(host)}:${text(port)}/${text(db)}`,
        join(host.source, port.source, db?.source),
      );
      r.setProp('spring.datasource.username', text(user), user?.source ?? 'none');
    }
  }
  r.valuesEnv(v, 'identity.env');
  r.envFromNote(v, 'identity.envFrom');
  return r.config();
}

/**
 * The Keycloak subchart (charts/keycloak-24): KEYCLOAK_DATABASE_* from its env-vars ConfigMap
 * (configmap-env-vars.yaml, keycloak.database* helpers), then extraStartupArgs and extraEnvVars.
 */
function keycloak(v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'keycloak.conf');
  const kc = keycloakView(v);
  const pg = truthy(kc.get('postgresql.enabled'));
  const ed = subView(kc, 'externalDatabase');
  const fromSecret = (key: string) => truthy(ed.get(`existingSecret${key}Key`));
  const put = (name: string, secretKey: string, f: Fact<unknown> | undefined, tplIt = true) => {
    if (fromSecret(secretKey)) {
      const ref = {
        name: text(ed.get('existingSecret')),
        key: text(ed.get(`existingSecret${secretKey}Key`)),
      };
      r.setEnv(name, { source: `${ed.get('existingSecret')?.source ?? 'none'} <- secret`, secretRef: ref });
      return;
    }
    const t = tplIt ? r.tpl(f) : { value: text(f), source: f?.source ?? 'none' };
    if ('value' in t) r.literalEnv(name, t.value, t.source);
    else r.setEnv(name, { source: t.source, unresolved: `template ${t.unresolved}` });
  };
  if (pg) {
    const pgName = componentFullname(release.name, 'postgresql', {
      fullnameOverride: kc.get('postgresql.fullnameOverride')?.value,
      nameOverride: kc.get('postgresql.nameOverride')?.value,
    });
    r.literalEnv('KEYCLOAK_DATABASE_HOST', pgName, 'derived:keycloak.postgresql.fullname');
    r.literalEnv('KEYCLOAK_DATABASE_PORT', '5432', 'derived:keycloak bundled PostgreSQL');
    put('KEYCLOAK_DATABASE_NAME', 'Database', kc.get('postgresql.auth.database'), false);
    r.literalEnv('KEYCLOAK_DATABASE_SCHEMA', 'public', 'derived:keycloak bundled PostgreSQL');
    put('KEYCLOAK_DATABASE_USER', 'User', kc.get('postgresql.auth.username'), false);
  } else {
    put('KEYCLOAK_DATABASE_HOST', 'Host', ed.get('host'));
    put('KEYCLOAK_DATABASE_PORT', 'Port', ed.get('port'));
    put('KEYCLOAK_DATABASE_NAME', 'Database', ed.get('database'));
    put('KEYCLOAK_DATABASE_SCHEMA', 'Schema', ed.get('schema'));
    put('KEYCLOAK_DATABASE_USER', 'User', ed.get('user'));
  }
  const args = kc.get('extraStartupArgs');
  if (truthy(args)) r.literalEnv('KEYCLOAK_EXTRA_ARGS', text(args), args!.source);
  r.valuesEnv(kc, 'extraEnvVars');
  if (truthy(kc.get('extraEnvVarsCM')) || truthy(kc.get('extraEnvVarsSecret'))) {
    r.notes.push('identityKeycloak.extraEnvVarsCM/extraEnvVarsSecret add env the values do not show');
  }
  return r.config();
}

/** templates/web-modeler/configmap-restapi.yaml and the webModeler.restapi.database* helpers. */
function webModelerRestapi(line: ChartLine, v: ValuesView, release: ReleaseRef): AppConfig {
  const r = new Rendering(release, 'application.yaml');
  const wm = webModelerView(line, v);
  if (!r.overridden(wm, 'restapi.configuration')) {
    const pgKey = line === '8.7' ? 'postgresql' : 'webModelerPostgresql';
    const pg = line !== '8.10' && truthy(v.get(`${pgKey}.enabled`));
    const ed = subView(wm, 'restapi.externalDatabase');
    let url: Fact<string> | undefined;
    let user: Fact<unknown> | undefined;
    if (pg) {
      const name = componentFullname(release.name, 'postgresql', {
        fullnameOverride: v.get(`${pgKey}.fullnameOverride`)?.value,
        nameOverride: v.get(`${pgKey}.nameOverride`)?.value,
      });
      const db = v.get(`${pgKey}.auth.database`);
      url = {
        value: `jdbc:postgresql://${name}:5432/${text(db)}`,
        source: join(`derived:webModeler.postgresql.fullname`, db?.source),
      };
      user = v.get(`${pgKey}.auth.username`);
    } else {
      const direct = ed.get('url');
      const host = ed.get('host');
      if (truthy(direct)) url = { value: text(direct), source: direct!.source };
      else if (truthy(host)) {
        const port = ed.get('port');
        const db = ed.get('database');
        url = {
          value: `jdbc:postgresql://${text(host)}:${text(port)}/${text(db)}`,
          source: join(host!.source, port?.source, db?.source),
        };
      }
      // The user key moved: `user` (8.7, 8.8), `username | default user` (8.9), `username` (8.10).
      user =
        line === '8.7' || line === '8.8'
          ? ed.get('user')
          : line === '8.9'
            ? dflt(ed.get('username'), ed.get('user'))
            : ed.get('username');
    }
    r.setProp('spring.datasource.url', url?.value ?? '', url?.source ?? 'derived:no database configured');
    r.setProp('spring.datasource.username', text(user), user?.source ?? 'none');
  }
  r.valuesEnv(wm, 'restapi.env');
  r.envFromNote(wm, 'restapi.envFrom');
  return r.config();
}
