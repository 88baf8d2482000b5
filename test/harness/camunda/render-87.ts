// 8.7's separate Zeebe broker, gateway, Operate and Tasklist, as charts/camunda-platform-8.7
// renders them (templates/zeebe/{statefulset,configmap}.yaml, zeebe-gateway/, operate/, tasklist/).
import {
  type Ctx,
  componentFullname,
  configMap,
  configMount,
  configVolume,
  envField,
  envSecret,
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
  trunc,
  valuesEnv,
  workload,
} from './render-support.js';

/** camundaPlatform.opensearchURL (8.7/8.8): protocol://tpl(host):port from global.opensearch.url. */
export function opensearchUrl(ctx: Ctx): string {
  return `${str(ctx.v, 'global.opensearch.url.protocol')}://${tpl(ctx, str(ctx.v, 'global.opensearch.url.host'))}:${str(ctx.v, 'global.opensearch.url.port')}`;
}

export function elasticsearchUrl(ctx: Ctx): string {
  return `${str(ctx.v, 'global.elasticsearch.url.protocol')}://${tpl(ctx, str(ctx.v, 'global.elasticsearch.url.host'))}:${str(ctx.v, 'global.elasticsearch.url.port')}`;
}

export function clusterName(ctx: Ctx): string {
  return tpl(ctx, str(ctx.v, 'global.zeebeClusterName'));
}

function databaseBlock(ctx: Ctx): string {
  if (on(ctx.v, 'global.elasticsearch.enabled')) {
    return `
# Camunda Database configuration
camunda.database:
  type: elasticsearch
  # Cluster name
  clusterName: elasticsearch
  # Elasticsearch full url
  url: ${q(elasticsearchUrl(ctx))}`;
  }
  if (on(ctx.v, 'global.opensearch.enabled')) {
    const user = on(ctx.v, 'global.opensearch.auth.username')
      ? `\n  username: ${q(get(ctx.v, 'global.opensearch.auth.username'))}`
      : '';
    return `
# Camunda Database configuration
camunda.database:
  type: opensearch
  url: ${q(opensearchUrl(ctx))}${user}`;
  }
  return '';
}

const license = (ctx: Ctx) =>
  envSecret('CAMUNDA_LICENSE_KEY', `${platformFullname(ctx)}-license`, 'CAMUNDA_LICENSE_KEY');

export function renderZeebe87(ctx: Ctx): K8sObject[] {
  const z = get(ctx.v, 'zeebe');
  const fn = componentFullname(ctx, 'zeebe', z);
  const name = trunc(clusterName(ctx));
  const labels = platformLabels(ctx, 'zeebe-broker');
  const es = on(ctx.v, 'global.elasticsearch.enabled') && !on(ctx.v, 'global.elasticsearch.disableExporter');
  const os = on(ctx.v, 'global.opensearch.enabled');
  let exporters = ' {}';
  if (es) {
    exporters = `
      elasticsearch:
        className: "io.camunda.zeebe.exporter.ElasticsearchExporter"
        args:
          url: ${q(elasticsearchUrl(ctx))}
          index:
            prefix: "zeebe-record"`;
  } else if (os) {
    const user = on(ctx.v, 'global.opensearch.auth.username')
      ? `\n          authentication:\n            username: ${q(get(ctx.v, 'global.opensearch.auth.username'))}`
      : '';
    const aws = on(ctx.v, 'global.opensearch.aws.enabled')
      ? '\n          aws:\n            enabled: true'
      : '';
    exporters = `
      opensearch:
        className: "io.camunda.zeebe.exporter.opensearch.OpensearchExporter"
        args:
          url: ${q(opensearchUrl(ctx))}${user}${aws}`;
  }
  const application = on(z, 'configuration')
    ? str(z, 'configuration')
    : `zeebe:
  broker:
    exporters:${exporters}
    gateway:
      enable: true
      network:
        port: 26500
      security:
        enabled: false
        authentication:
          mode: none
    network:
      host: 0.0.0.0
      commandApi:
        port: 26501
      internalApi:
        port: 26502
      monitoringApi:
        port: "9600"
    cluster:
      clusterSize: "3"
      replicationFactor: "3"
      partitionsCount: "3"
      clusterName: ${clusterName(ctx)}
${databaseBlock(ctx)}
`;
  const cm = configMap(ctx, `${fn}-configuration`, labels, {
    'application.yaml': application,
    'startup.sh': '#!/usr/bin/env bash\nset -eux -o pipefail\nexec /usr/local/zeebe/bin/broker\n',
    'broker-log4j2.xml': '',
  });
  const sa = serviceAccountName(z, fn);
  return [
    ...serviceAccount(ctx, sa, z, labels),
    cm,
    workload(ctx, 'StatefulSet', name, labels, {
      serviceAccountName: sa,
      placement: z,
      container: {
        name: 'zeebe',
        image: 'camunda/zeebe:8.7.10',
        env: [
          license(ctx),
          envValue('LC_ALL', 'C.UTF-8'),
          envField('K8S_NAME', 'metadata.name'),
          envValue('K8S_SERVICE_NAME', name),
          envField('K8S_NAMESPACE', 'metadata.namespace'),
          envValue('ZEEBE_BROKER_NETWORK_ADVERTISEDHOST', '$(K8S_NAME).$(K8S_SERVICE_NAME)'),
          envValue('ZEEBE_LOG_LEVEL', 'info'),
          envValue('ZEEBE_BROKER_GATEWAY_ENABLE', 'false'),
          envValue('JAVA_TOOL_OPTIONS', str(z, 'javaOpts')),
          envField('K8S_POD_NAME', 'metadata.name'),
          ...valuesEnv(ctx, get(z, 'env')),
        ],
        envFrom: [{ configMapRef: { name: `${platformFullname(ctx)}-documentstore-env-vars` } }],
        volumeMounts: [
          configMount('/usr/local/bin/startup.sh', 'startup.sh'),
          { name: 'data', mountPath: '/usr/local/zeebe/data' },
          { name: 'exporters', mountPath: '/exporters' },
          { name: 'tmp', mountPath: '/tmp' },
          configMount('/usr/local/zeebe/config/application.yaml', 'application.yaml'),
        ],
      },
      volumes: [
        configVolume(`${fn}-configuration`),
        { name: 'exporters', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
    }),
  ];
}

export function renderGateway87(ctx: Ctx): K8sObject[] {
  const g = get(ctx.v, 'zeebeGateway');
  const fn = componentFullname(ctx, 'zeebe-gateway', g);
  const name = trunc(`${clusterName(ctx) || ctx.release}-gateway`);
  const labels = platformLabels(ctx, 'zeebe-gateway');
  const sa = serviceAccountName(g, fn);
  return [
    ...serviceAccount(ctx, sa, g, labels),
    configMap(ctx, `${fn}-configuration`, labels, {
      'application.yaml': `zeebe:
  gateway:
    cluster:
      clusterName: ${clusterName(ctx)}
${databaseBlock(ctx)}
`,
    }),
    workload(ctx, 'Deployment', name, labels, {
      serviceAccountName: sa,
      placement: g,
      container: {
        name: 'zeebe-gateway',
        image: 'camunda/zeebe:8.7.10',
        env: [
          license(ctx),
          envValue('ZEEBE_GATEWAY_CLUSTER_CLUSTERNAME', clusterName(ctx)),
          ...valuesEnv(ctx, get(g, 'env')),
        ],
        envFrom: [{ configMapRef: { name: `${platformFullname(ctx)}-documentstore-env-vars` } }],
        volumeMounts: [configMount('/usr/local/zeebe/config/application.yaml', 'application.yaml')],
      },
      volumes: [configVolume(`${fn}-configuration`)],
    }),
  ];
}

export function renderWebapp87(ctx: Ctx, app: 'operate' | 'tasklist'): K8sObject[] {
  const c = get(ctx.v, app);
  const fn = componentFullname(ctx, app, c);
  const labels = platformLabels(ctx, app);
  const os = on(ctx.v, 'global.opensearch.enabled');
  const osUser = on(ctx.v, 'global.opensearch.auth.username')
    ? `\n    username: ${q(get(ctx.v, 'global.opensearch.auth.username'))}`
    : '';
  const aws = on(ctx.v, 'global.opensearch.aws.enabled') ? '\n    awsEnabled: true' : '';
  const opensearch = os
    ? `
  opensearch:
    url: ${q(opensearchUrl(ctx))}${aws}${osUser}
  zeebeOpensearch:
    url: ${q(opensearchUrl(ctx))}${osUser}`
    : '';
  const application = on(c, 'configuration')
    ? str(c, 'configuration')
    : `
spring:
  servlet:
    multipart:
      max-file-size: "10MB"
      max-request-size: "10MB"
  profiles:
    active: "identity-auth"
camunda:
  identity:
    clientId: ${q(app)}
    audience: ${q(`${app}-api`)}
${databaseBlock(ctx)}

# ${app === 'operate' ? 'Operate' : 'Tasklist'} configuration file
camunda.${app}:${os ? '\n  database: opensearch' : ''}
  # Zeebe instance
  zeebe:
    # Gateway address
    gatewayAddress: "${clusterName(ctx)}-gateway:26500"${opensearch}
logging:
  level:
    ROOT: INFO
#Spring Boot Actuator endpoints to be exposed
management.endpoints.web.exposure.include: health,info,conditions,configprops,prometheus,loggers,usage-metrics,backups
`;
  const sa = serviceAccountName(c, fn);
  return [
    ...serviceAccount(ctx, sa, c, labels),
    configMap(ctx, `${fn}-configuration`, labels, { 'application.yaml': application }),
    workload(ctx, 'Deployment', fn, labels, {
      serviceAccountName: sa,
      placement: c,
      container: {
        name: app,
        image: `camunda/${app}:8.7.10`,
        env: [
          license(ctx),
          envSecret(
            'CAMUNDA_IDENTITY_CLIENT_SECRET',
            `${platformFullname(ctx)}-${app}-identity-secret`,
            `${app}-secret`,
          ),
          envValue('ZEEBE_CLIENT_ID', 'zeebe'),
          ...valuesEnv(ctx, get(c, 'env')),
        ],
        envFrom: [
          ...(on(ctx.v, 'global.identity.auth.enabled')
            ? [{ configMapRef: { name: `${platformFullname(ctx)}-identity-env-vars` } }]
            : []),
          { configMapRef: { name: `${platformFullname(ctx)}-documentstore-env-vars` } },
        ],
        volumeMounts: [
          configMount(`/usr/local/${app}/config/application.yaml`, 'application.yaml'),
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      volumes: [configVolume(`${fn}-configuration`), { name: 'tmp', emptyDir: {} }],
    }),
  ];
}
