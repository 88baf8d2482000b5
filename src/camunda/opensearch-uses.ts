import type { AppConfig, ConfigValue } from './app-config.js';
import type { Fact, OpenSearchPurpose, OpenSearchUse } from './camunda-component.js';
import type { AppKind } from './component-catalog.js';
import { parseHttpEndpoint } from './parse-http-endpoint.js';
import { springSetting } from './spring-setting.js';

/**
 * The OpenSearch clients an application runs, each with the URL it calls and the switch that makes
 * it sign with SigV4. The property names are the ones the chart renders into application.yaml
 * (charts/camunda-platform-8.7/templates/{zeebe,operate,tasklist}/configmap.yaml,
 * 8.8 orchestration/files/_application-unified.yaml, 8.9+ orchestration/files/_application.yaml);
 * Optimize takes CAMUNDA_OPTIMIZE_OPENSEARCH_* environment variables instead.
 */

interface Slot {
  readonly purpose: OpenSearchPurpose;
  /** The client exists when one of these is set. */
  readonly presentIf: readonly string[];
  /** Only when this property has this value (a storage `type`). */
  readonly typeIs?: { readonly property: string; readonly value: string };
  /** The URL, first found wins (a client without its own URL uses the secondary storage's). */
  readonly url: readonly string[];
  readonly aws: readonly string[];
  readonly username?: string;
}

const SECONDARY_URL = 'camunda.data.secondary-storage.opensearch.url';

const ZEEBE_EXPORTER: Slot = {
  purpose: 'exporter',
  presentIf: ['zeebe.broker.exporters.opensearch.args.url'],
  url: ['zeebe.broker.exporters.opensearch.args.url'],
  aws: ['zeebe.broker.exporters.opensearch.args.aws.enabled'],
  username: 'zeebe.broker.exporters.opensearch.args.authentication.username',
};

const webapp = (app: 'operate' | 'tasklist', fallbackUrl: readonly string[]): Slot[] => [
  {
    purpose: app,
    presentIf: [`camunda.${app}.opensearch.url`, `camunda.${app}.opensearch.awsEnabled`],
    url: [`camunda.${app}.opensearch.url`, ...fallbackUrl],
    aws: [`camunda.${app}.opensearch.awsEnabled`],
    username: `camunda.${app}.opensearch.username`,
  },
  {
    purpose: `${app}-zeebe`,
    presentIf: [`camunda.${app}.zeebeOpensearch.url`, `camunda.${app}.zeebeOpensearch.awsEnabled`],
    url: [`camunda.${app}.zeebeOpensearch.url`, ...fallbackUrl],
    aws: [`camunda.${app}.zeebeOpensearch.awsEnabled`],
    username: `camunda.${app}.zeebeOpensearch.username`,
  },
];

const ORCHESTRATION: readonly Slot[] = [
  {
    purpose: 'secondary-storage',
    presentIf: [SECONDARY_URL],
    typeIs: { property: 'camunda.data.secondary-storage.type', value: 'opensearch' },
    url: [SECONDARY_URL],
    // 8.9+ renders aws-enabled next to the URL; 8.8 only camunda.database.awsEnabled.
    aws: ['camunda.data.secondary-storage.opensearch.aws-enabled', 'camunda.database.awsEnabled'],
    username: 'camunda.data.secondary-storage.opensearch.username',
  },
  ...webapp('operate', [SECONDARY_URL]),
  ...webapp('tasklist', [SECONDARY_URL]),
  ZEEBE_EXPORTER,
  {
    purpose: 'camunda-exporter',
    presentIf: ['zeebe.broker.exporters.camundaexporter.args.connect.type'],
    typeIs: { property: 'zeebe.broker.exporters.camundaexporter.args.connect.type', value: 'opensearch' },
    url: ['zeebe.broker.exporters.camundaexporter.args.connect.url', SECONDARY_URL],
    aws: ['zeebe.broker.exporters.camundaexporter.args.connect.awsEnabled'],
    username: 'zeebe.broker.exporters.camundaexporter.args.connect.username',
  },
];

const SLOTS: Partial<Record<AppKind, readonly Slot[]>> = {
  'zeebe-broker': [ZEEBE_EXPORTER],
  operate: webapp('operate', []),
  tasklist: webapp('tasklist', []),
  orchestration: ORCHESTRATION,
};

export function opensearchUses(app: AppKind, config: AppConfig): OpenSearchUse[] {
  if (app === 'optimize') return optimizeUses(config);
  const out: OpenSearchUse[] = [];
  for (const slot of SLOTS[app] ?? []) {
    if (!slot.presentIf.some((p) => springSetting(config, p) !== undefined)) continue;
    if (slot.typeIs) {
      const t = springSetting(config, slot.typeIs.property);
      if (t?.value !== undefined && t.value.toLowerCase() !== slot.typeIs.value) continue;
    }
    const notes: string[] = [];
    const url = first(config, slot.url);
    const aws = first(config, slot.aws);
    const use: { -readonly [K in keyof OpenSearchUse]: OpenSearchUse[K] } = {
      purpose: slot.purpose,
      aws: awsFact(aws, slot.aws[0]!, notes),
      notes,
    };
    if (url) addEndpoint(use, url, notes);
    else notes.push(`no URL (${slot.url.join(', ')})`);
    const user = slot.username ? springSetting(config, slot.username) : undefined;
    if (user?.value) use.username = { value: user.value, source: user.source };
    out.push(use);
  }
  return out;
}

/**
 * Optimize reads CAMUNDA_OPTIMIZE_DATABASE, CAMUNDA_OPTIMIZE_OPENSEARCH_{HOST,HTTP_PORT,SSL_ENABLED,
 * AWS_ENABLED,SECURITY_USERNAME} through placeholders in its own environment-config defaults.
 */
function optimizeUses(config: AppConfig): OpenSearchUse[] {
  const env = config.env;
  const database = env.CAMUNDA_OPTIMIZE_DATABASE?.value?.toLowerCase();
  const host = env.CAMUNDA_OPTIMIZE_OPENSEARCH_HOST;
  if (database !== 'opensearch' && !(database === undefined && host)) return [];
  const notes: string[] = [];
  const use: { -readonly [K in keyof OpenSearchUse]: OpenSearchUse[K] } = {
    purpose: 'optimize',
    aws: awsFact(
      env.CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED,
      'CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED',
      notes,
    ),
    notes,
  };
  const ssl = env.CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED;
  const protocol = ssl?.value?.trim().toLowerCase() === 'true' ? 'https' : 'http';
  use.protocol = { value: protocol, source: ssl?.source ?? 'absent:CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED' };
  if (host?.value) {
    use.host = { value: host.value.toLowerCase(), source: host.source };
    const port = env.CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT;
    if (port?.value && /^\d{1,5}$/.test(port.value.trim())) {
      use.port = { value: Number(port.value), source: port.source };
      use.url = {
        value: `${protocol}://${host.value.toLowerCase()}:${Number(port.value)}`,
        source: `${host.source} + ${port.source}`,
      };
    } else notes.push('CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT is not set; Optimize then uses its own default');
  } else
    notes.push(
      host
        ? describe('CAMUNDA_OPTIMIZE_OPENSEARCH_HOST', host)
        : 'CAMUNDA_OPTIMIZE_OPENSEARCH_HOST is not set',
    );
  const user = env.CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_USERNAME;
  if (user?.value) use.username = { value: user.value, source: user.source };
  return [use];
}

function first(config: AppConfig, properties: readonly string[]): ConfigValue | undefined {
  for (const p of properties) {
    const s = springSetting(config, p);
    if (s) return s;
  }
  return undefined;
}

function awsFact(v: ConfigValue | undefined, key: string, notes: string[]): Fact<boolean> {
  if (!v) return { value: false, source: `absent:${key}` };
  if (v.value === undefined) {
    notes.push(describe('the AWS switch', v));
    return { value: false, source: v.source };
  }
  return { value: v.value.trim().toLowerCase() === 'true', source: v.source };
}

function addEndpoint(
  use: { -readonly [K in keyof OpenSearchUse]: OpenSearchUse[K] },
  url: ConfigValue,
  notes: string[],
): void {
  if (url.value === undefined) {
    notes.push(describe('the URL', url));
    return;
  }
  const parsed = parseHttpEndpoint(url.value);
  if (!parsed.ok) {
    notes.push(`the URL cannot be read: ${parsed.problem}`);
    return;
  }
  const e = parsed.endpoint;
  use.url = { value: e.text, source: url.source };
  use.host = { value: e.host, source: url.source };
  use.port = { value: e.port, source: e.portDefaulted ? `${url.source} (scheme default port)` : url.source };
  use.protocol = { value: e.protocol, source: url.source };
}

function describe(what: string, v: ConfigValue): string {
  if (v.secretRef) return `${what} comes from Secret ${v.secretRef.name} key ${v.secretRef.key} (not read)`;
  if (v.redacted) return `${what} was redacted`;
  return `${what} is unknown: ${v.unresolved ?? 'no value'} (${v.source})`;
}
