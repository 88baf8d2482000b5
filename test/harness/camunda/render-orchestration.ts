// The 8.8+ orchestration cluster (broker, gateway, Operate, Tasklist in one StatefulSet) as
// charts/camunda-platform-8.8 (orchestration/files/_application-unified.yaml, ConfigMap
// <fullname>-configuration-unified) and 8.9/8.10 (orchestration/files/_application.yaml,
// ConfigMap <fullname>-configuration) render it.
import { clusterName, elasticsearchUrl, opensearchUrl as globalOpensearchUrl } from './render-87.js';
import {
  type Ctx,
  componentFullname,
  configMap,
  configMount,
  configVolume,
  envField,
  envValue,
  get,
  type K8sObject,
  on,
  platformFullname,
  platformLabels,
  q,
  serviceAccount,
  serviceAccountName,
  str,
  tpl,
  valuesEnv,
  workload,
} from './render-support.js';

const modern = (ctx: Ctx) => ctx.line === '8.9' || ctx.line === '8.10';

/** camundaPlatform.opensearchHost (8.9+): Optimize's host first. */
export function opensearchHost(ctx: Ctx): string {
  const own = tpl(ctx, str(ctx.v, 'optimize.database.opensearch.url.host'));
  return modern(ctx) && own ? own : tpl(ctx, str(ctx.v, 'global.opensearch.url.host'));
}

/** optimize.effectiveOsURL (8.9+). */
export function optimizeOpensearchUrl(ctx: Ctx): string {
  const protocol =
    str(ctx.v, 'optimize.database.opensearch.url.protocol') || str(ctx.v, 'global.opensearch.url.protocol');
  const port = on(ctx.v, 'optimize.database.opensearch.url.port')
    ? str(ctx.v, 'optimize.database.opensearch.url.port')
    : str(ctx.v, 'global.opensearch.url.port');
  return `${protocol}://${opensearchHost(ctx)}:${port}`;
}

/** camundaPlatform.opensearchURL */
export function opensearchUrl(ctx: Ctx): string {
  if (!modern(ctx)) return globalOpensearchUrl(ctx);
  const direct = str(ctx.v, 'orchestration.data.secondaryStorage.opensearch.url');
  return direct || optimizeOpensearchUrl(ctx);
}

function secondaryStorage(ctx: Ctx): string {
  const v = ctx.v;
  if (modern(ctx) && on(v, 'orchestration.data.secondaryStorage.type'))
    return str(v, 'orchestration.data.secondaryStorage.type');
  if (on(v, 'global.noSecondaryStorage')) return 'none';
  if (modern(ctx) && on(v, 'orchestration.exporters.rdbms.enabled')) return 'rdbms';
  if (on(v, 'global.elasticsearch.enabled') || on(v, 'optimize.database.elasticsearch.enabled'))
    return 'elasticsearch';
  if (on(v, 'global.opensearch.enabled') || on(v, 'optimize.database.opensearch.enabled'))
    return 'opensearch';
  return 'unset';
}

function application88(ctx: Ctx): string {
  const v = ctx.v;
  const os = on(v, 'global.opensearch.enabled');
  const es = on(v, 'global.elasticsearch.enabled');
  const aws = String(on(v, 'global.opensearch.aws.enabled'));
  const user = q(get(v, 'global.opensearch.auth.username'));
  const type = secondaryStorage(ctx);
  const webapp = (app: string) =>
    !on(v, `orchestration.profiles.${app}`)
      ? ''
      : `
  ${app}:
    multiTenancy:
      enabled: false${
        os
          ? `
    # OpenSearch
    opensearch:
      awsEnabled: ${aws}
    zeebeOpensearch:
      awsEnabled: ${aws}
      username: ${user}
      password: "\${VALUES_OPENSEARCH_PASSWORD:}"`
          : ''
      }
    zeebe:
      gatewayAddress: "${componentFullname(ctx, 'zeebe', get(v, 'orchestration'))}-grpc:26500"`;
  const zeebeExp = on(v, 'orchestration.exporters.zeebe.enabled');
  const feeds = (x: boolean) =>
    x && (zeebeExp || on(v, 'optimize.enabled') || on(v, 'orchestration.migration.data.enabled'));
  let exporters = '';
  if (feeds(es)) {
    exporters += `
      elasticsearch:
        className: "io.camunda.zeebe.exporter.ElasticsearchExporter"
        args:
          url: ${q(elasticsearchUrl(ctx))}`;
  } else if (feeds(os)) {
    exporters += `
      opensearch:
        className: "io.camunda.zeebe.exporter.opensearch.OpensearchExporter"
        args:
          url: ${q(opensearchUrl(ctx))}${
            on(v, 'global.opensearch.auth.username')
              ? `\n          authentication:\n            username: ${user}\n            password: "\${VALUES_OPENSEARCH_PASSWORD:}"`
              : ''
          }
          index:
            prefix: "zeebe-record"
            numberOfReplicas: "0"${on(v, 'global.opensearch.aws.enabled') ? '\n          aws:\n            enabled: true' : ''}`;
  }
  if (type !== 'none' && on(v, 'orchestration.exporters.camunda.enabled')) {
    exporters += `
      camundaexporter:
        className: "io.camunda.exporter.CamundaExporter"
        args:
          connect:
            type: ${q(type)}
            url: ${q(es ? elasticsearchUrl(ctx) : opensearchUrl(ctx))}${on(v, 'global.opensearch.auth.username') ? `\n            username: ${user}\n            password: "\${VALUES_OPENSEARCH_PASSWORD:}"` : ''}
            awsEnabled: ${aws}
          history:
            rolloverInterval: "1d"`;
  }
  return `spring:
  profiles:
    active: "broker,operate,tasklist,identity,auth"
server:
  address: 0.0.0.0
  port: 8080
camunda:
  license:
    key: "\${VALUES_ORCHESTRATION_LICENSE_KEY}"
  cluster:
    node-id: "\${VALUES_ORCHESTRATION_NODE_ID:}"
    size: "3"
  # Database configuration - Separated syntax.
  database:${os ? `\n    awsEnabled: ${aws}` : ''}
    index:
      prefix: ""
  data:
    secondary-storage:
      autoconfigure-camunda-exporter: ${on(v, 'orchestration.exporters.camunda.enabled')}
      type: ${q(type)}${
        es
          ? `
      elasticsearch:
        url: ${q(elasticsearchUrl(ctx))}
        password: "\${VALUES_ELASTICSEARCH_PASSWORD:}"`
          : ''
      }${
        os
          ? `
      opensearch:
        url: ${q(opensearchUrl(ctx))}
        cluster-name: "opensearch"
        username: ${user}
        password: "\${VALUES_OPENSEARCH_PASSWORD:}"`
          : ''
      }
  #
  # Camunda Operate Configuration - Separated syntax.
  #${webapp('operate')}
  #
  # Camunda Tasklist Configuration - Separated syntax.
  #${webapp('tasklist')}
zeebe:
  host: 0.0.0.0
  broker:
    cluster:
      clusterName: ${clusterName(ctx)}
    # zeebe.broker.exporters
    exporters:${exporters || ' {}'}
`;
}

function application89(ctx: Ctx): string {
  const v = ctx.v;
  const osOn = on(v, 'global.opensearch.enabled');
  const esOn = on(v, 'global.elasticsearch.enabled');
  const optOs = on(v, 'optimize.database.opensearch.enabled');
  const optEs = on(v, 'optimize.database.elasticsearch.enabled');
  const optimizeOn = on(v, 'optimize.enabled') && str(v, 'global.topology.mode') !== 'hub';
  const aws = String(
    on(v, 'orchestration.data.secondaryStorage.opensearch.aws.enabled') ||
      on(v, 'global.opensearch.aws.enabled'),
  );
  const type = secondaryStorage(ctx);
  const ssUser = q(
    str(v, 'orchestration.data.secondaryStorage.opensearch.auth.username') ||
      str(v, 'global.opensearch.auth.username'),
  );
  const imports = (
    Array.isArray(get(v, 'orchestration.extraConfiguration'))
      ? (get(v, 'orchestration.extraConfiguration') as Array<Record<string, unknown>>)
      : []
  )
    .filter((e) => e.springImport !== false)
    .map((e) => `\n      - optional:file:/usr/local/camunda/config/${String(e.file)}`)
    .join('');
  const rdbms = on(v, 'orchestration.exporters.rdbms.enabled');
  const webapp = (app: string) =>
    !on(v, `orchestration.profiles.${app}`)
      ? ''
      : `
  ${app}:
    multiTenancy:
      enabled: false${
        osOn
          ? `
    # OpenSearch
    opensearch:
      awsEnabled: ${aws}
    zeebeOpensearch:
      awsEnabled: ${aws}${
        app === 'tasklist'
          ? `
      username: ${q(str(v, 'optimize.database.opensearch.auth.username') || str(v, 'orchestration.data.secondaryStorage.opensearch.auth.username') || str(v, 'global.opensearch.auth.username'))}
      password: "\${VALUES_OPENSEARCH_PASSWORD:}"`
          : ''
      }`
          : ''
      }
    zeebe:
      gatewayAddress: "${componentFullname(ctx, 'zeebe', get(v, 'orchestration'))}-grpc:26500"`;
  const zeebeExp = on(v, 'orchestration.exporters.zeebe.enabled');
  const regionsOk = zeebeExp || Number(str(v, 'global.multiregion.regions') || 0) < 2;
  const legacyEs =
    ((esOn && rdbms && optimizeOn) || (esOn && zeebeExp) || ((esOn || optEs) && optimizeOn)) && regionsOk;
  const legacyOs = ((osOn && zeebeExp) || ((osOn || optOs) && optimizeOn)) && regionsOk;
  let exporters = '';
  if (legacyEs) {
    exporters += `
      elasticsearch:
        className: "io.camunda.zeebe.exporter.ElasticsearchExporter"
        args:
          url: ${q(elasticsearchUrl(ctx))}`;
  } else if (legacyOs) {
    const owned = optimizeOn && opensearchHost(ctx) !== '';
    const exAws = owned
      ? on(v, 'optimize.database.opensearch.aws.enabled') || on(v, 'global.opensearch.aws.enabled')
      : aws === 'true';
    const exUser = owned
      ? str(v, 'optimize.database.opensearch.auth.username') || str(v, 'global.opensearch.auth.username')
      : str(v, 'optimize.database.opensearch.auth.username') ||
        str(v, 'orchestration.data.secondaryStorage.opensearch.auth.username') ||
        str(v, 'global.opensearch.auth.username');
    exporters += `
      opensearch:
        className: "io.camunda.zeebe.exporter.opensearch.OpensearchExporter"
        args:${
          exAws
            ? ''
            : `
          authentication:
            username: ${q(exUser)}
            password: "\${${owned ? 'VALUES_OPTIMIZE_DATABASE_OPENSEARCH_PASSWORD' : 'VALUES_OPENSEARCH_PASSWORD'}:}"`
        }
          url: ${q(owned ? optimizeOpensearchUrl(ctx) : opensearchUrl(ctx))}
          index:
            prefix: "zeebe-record"
            numberOfReplicas: "0"${exAws ? '\n          aws:\n            enabled: true' : ''}`;
  }
  if (type !== 'none' && on(v, 'orchestration.exporters.camunda.enabled') && !rdbms) {
    exporters += `
      camundaexporter:
        className: "io.camunda.exporter.CamundaExporter"
        args:
          connect:
            type: ${q(type)}
            awsEnabled: ${aws}
          history:
            rolloverInterval: "1d"`;
  }
  const rv = (k: string) => get(v, `orchestration.data.secondaryStorage.rdbms.${k}`);
  return `spring:${imports ? `\n  config:\n    import:${imports}` : ''}
  profiles:
    active: "broker,operate,tasklist,admin,consolidated-auth"
server:
  address: 0.0.0.0
  port: 8080
camunda:
  license:
    key: "\${VALUES_ORCHESTRATION_LICENSE_KEY}"
  cluster:
    node-id: "\${VALUES_ORCHESTRATION_NODE_ID:}"
    size: "3"
  # Database configuration - Separated syntax.
  database:${osOn ? `\n    awsEnabled: ${aws}` : ''}
  data:
    secondary-storage:
      autoconfigure-camunda-exporter: ${on(v, 'orchestration.exporters.camunda.enabled')}
      type: ${q(type)}${
        osOn || optOs || type === 'opensearch'
          ? `
      opensearch:
        aws-enabled: ${aws}
        url: ${q(opensearchUrl(ctx))}
        cluster-name: "opensearch"
        username: ${ssUser}
        password: "\${VALUES_OPENSEARCH_PASSWORD:}"`
          : ''
      }${
        rdbms
          ? `
      rdbms:
        aws-enabled: ${on(rv('aws.enabled'))}
        url: ${q(rv('url'))}
        username: ${q(rv('username'))}
        password: "\${VALUES_ORCHESTRATION_DATA_SECONDARYSTORAGE_RDBMS_PASSWORD:}"`
          : ''
      }
  security:
    authentication:
      method: "basic"
  persistent:
    sessions:
      enabled: true
  #
  # Camunda Operate Configuration - Separated syntax.
  #${webapp('operate')}
  #
  # Camunda Tasklist Configuration - Separated syntax.
  #${webapp('tasklist')}
zeebe:
  host: 0.0.0.0
  broker:
    cluster:
      clusterName: ${clusterName(ctx)}
    # zeebe.broker.exporters
    exporters:${exporters || ' {}'}
`;
}

export function renderOrchestration(ctx: Ctx): K8sObject[] {
  const o = get(ctx.v, 'orchestration');
  const fn = componentFullname(ctx, 'zeebe', o);
  const labels = platformLabels(ctx, 'zeebe-broker');
  const cmName = ctx.line === '8.8' ? `${fn}-configuration-unified` : `${fn}-configuration`;
  const application = on(o, 'configuration')
    ? str(o, 'configuration')
    : ctx.line === '8.8'
      ? application88(ctx)
      : application89(ctx);
  const data: Record<string, string> = {
    'startup.sh': 'exec /usr/local/camunda/bin/camunda\n',
    'application.yaml': application,
    'log4j2.xml': '',
  };
  const extra =
    modern(ctx) && Array.isArray(get(o, 'extraConfiguration'))
      ? (get(o, 'extraConfiguration') as Array<Record<string, unknown>>)
      : [];
  for (const e of extra) data[String(e.file)] = String(e.content);
  const sa = serviceAccountName(o, fn);
  const env = [
    envValue('LC_ALL', 'C.UTF-8'),
    envField('K8S_NAME', 'metadata.name'),
    envValue('K8S_SERVICE_NAME', `${fn}-headless`),
    envField('K8S_NAMESPACE', 'metadata.namespace'),
    envValue('JAVA_TOOL_OPTIONS', str(o, 'javaOpts')),
    envField('K8S_POD_NAME', 'metadata.name'),
    ...valuesEnv(ctx, get(o, 'env')),
  ];
  // emitEnvVarFromSecretConfig: an inline password lands in the pod spec as a plain value.
  const inline =
    str(ctx.v, 'global.opensearch.auth.secret.inlineSecret') || str(ctx.v, 'global.opensearch.auth.password');
  if (on(ctx.v, 'global.opensearch.enabled') && inline)
    env.push(envValue('VALUES_OPENSEARCH_PASSWORD', inline));
  return [
    ...serviceAccount(ctx, sa, o, labels),
    configMap(ctx, cmName, labels, data),
    workload(ctx, 'StatefulSet', fn, labels, {
      serviceAccountName: sa,
      placement: o,
      container: {
        name: 'orchestration',
        image: `camunda/camunda:${ctx.line}.0`,
        env,
        envFrom: [{ configMapRef: { name: `${platformFullname(ctx)}-documentstore-env-vars` } }],
        volumeMounts: [
          configMount('/usr/local/bin/startup.sh', 'startup.sh'),
          { name: 'data', mountPath: '/usr/local/camunda/data' },
          configMount('/usr/local/camunda/config/log4j2.xml', 'log4j2.xml'),
          configMount('/usr/local/camunda/config/application.yaml', 'application.yaml'),
          ...extra.map((e) => configMount(`/usr/local/camunda/config/${String(e.file)}`, String(e.file))),
        ],
      },
      volumes: [configVolume(cmName)],
    }),
  ];
}
