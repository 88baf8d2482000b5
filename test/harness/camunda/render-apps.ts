// Optimize, Identity, the Keycloak subchart, Web Modeler (Camunda Hub in 8.10), Connectors and
// Console, as each chart line's templates render them (optimize/deployment.yaml,
// identity/{configmap,deployment}.yaml, charts/keycloak-24 statefulset.yaml and
// configmap-env-vars.yaml, web-modeler/{configmap-restapi,deployment-*}.yaml).
import type { Values } from './chart-defaults.js';
import { opensearchHost } from './render-orchestration.js';
import {
  type Ctx,
  componentFullname,
  configMap,
  configMount,
  type EnvVar,
  envField,
  envSecret,
  envValue,
  get,
  isMap,
  type K8sObject,
  mergeValues,
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

const modern = (ctx: Ctx) => ctx.line === '8.9' || ctx.line === '8.10';
const license = (ctx: Ctx) =>
  envSecret('CAMUNDA_LICENSE_KEY', `${platformFullname(ctx)}-license`, 'CAMUNDA_LICENSE_KEY');

/** normalizeSecretConfiguration (8.8+): new secret ref, else inline plaintext, else legacy ref, else `password`. */
function secretConfigEnv(
  name: string,
  config: unknown,
  plaintextKey = 'password',
  legacyKeyField = 'existingSecretKey',
): EnvVar[] {
  if (on(config, 'secret.existingSecret') && on(config, 'secret.existingSecretKey')) {
    return [envSecret(name, str(config, 'secret.existingSecret'), str(config, 'secret.existingSecretKey'))];
  }
  if (on(config, 'secret.inlineSecret')) return [envValue(name, str(config, 'secret.inlineSecret'))];
  const legacy = get(config, 'existingSecret');
  if (typeof legacy === 'string' && legacy && on(config, legacyKeyField)) {
    return [envSecret(name, legacy, str(config, legacyKeyField))];
  }
  if (on(config, plaintextKey)) return [envValue(name, str(config, plaintextKey))];
  return [];
}

export function renderOptimize(ctx: Ctx): K8sObject[] {
  const v = ctx.v;
  const o = get(v, 'optimize');
  const fn = componentFullname(ctx, 'optimize', o);
  const labels = platformLabels(ctx, 'optimize');
  const env: EnvVar[] = [license(ctx)];
  if (modern(ctx)) {
    if (opensearchHost(ctx)) {
      const protocol =
        str(v, 'optimize.database.opensearch.url.protocol') || str(v, 'global.opensearch.url.protocol');
      if (protocol === 'https') env.push(envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED', 'true'));
      const port = on(v, 'optimize.database.opensearch.url.port')
        ? str(v, 'optimize.database.opensearch.url.port')
        : str(v, 'global.opensearch.url.port');
      env.push(
        envValue('CAMUNDA_OPTIMIZE_DATABASE', 'opensearch'),
        envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT', port),
        envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_HOST', opensearchHost(ctx)),
      );
      const user =
        str(v, 'optimize.database.opensearch.auth.username') || str(v, 'global.opensearch.auth.username');
      if (user) env.push(envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_USERNAME', user));
      const own = get(v, 'optimize.database.opensearch.auth');
      const auth = secretConfigEnv('x', own).length ? own : get(v, 'global.opensearch.auth');
      env.push(...secretConfigEnv('CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_PASSWORD', auth));
    }
    env.push(envValue('JAVA_TOOL_OPTIONS', '-Xms1g -Xmx1g'));
    // The default global.elasticsearch.url.host is never empty, so these are always rendered.
    const esHost =
      tpl(ctx, str(v, 'optimize.database.elasticsearch.url.host')) ||
      tpl(ctx, str(v, 'global.elasticsearch.url.host'));
    if (esHost) {
      env.push(
        envValue('OPTIMIZE_ELASTICSEARCH_HOST', esHost),
        envValue('OPTIMIZE_ELASTICSEARCH_HTTP_PORT', str(v, 'global.elasticsearch.url.port')),
      );
    }
    env.push(envValue('SPRING_PROFILES_ACTIVE', 'ccsm'));
    if (on(v, 'optimize.database.opensearch.aws.enabled') || on(v, 'global.opensearch.aws.enabled')) {
      env.push(envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED', 'true'));
    }
  } else {
    if (on(v, 'global.opensearch.enabled')) {
      if (str(v, 'global.opensearch.url.protocol') === 'https')
        env.push(envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED', 'true'));
      env.push(
        envValue('CAMUNDA_OPTIMIZE_DATABASE', 'opensearch'),
        envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT', str(v, 'global.opensearch.url.port')),
        envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_HOST', tpl(ctx, str(v, 'global.opensearch.url.host'))),
        envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_USERNAME', str(v, 'global.opensearch.auth.username')),
      );
      if (ctx.line === '8.8')
        env.push(
          ...secretConfigEnv(
            'CAMUNDA_OPTIMIZE_OPENSEARCH_SECURITY_PASSWORD',
            get(v, 'global.opensearch.auth'),
          ),
        );
    }
    env.push(envValue('JAVA_TOOL_OPTIONS', '-Xms1g -Xmx1g'));
    if (on(v, 'global.elasticsearch.enabled')) {
      env.push(envValue('OPTIMIZE_ELASTICSEARCH_HOST', tpl(ctx, str(v, 'global.elasticsearch.url.host'))));
    }
    env.push(envValue('SPRING_PROFILES_ACTIVE', 'ccsm'));
    if (on(v, 'global.identity.auth.enabled')) {
      env.push(
        envSecret(
          'CAMUNDA_IDENTITY_CLIENT_SECRET',
          `${platformFullname(ctx)}-optimize-identity-secret`,
          'optimize-secret',
        ),
      );
    }
    if (on(v, 'global.opensearch.aws.enabled'))
      env.push(envValue('CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED', 'true'));
  }
  env.push(...valuesEnv(ctx, get(o, 'env')));
  // Optimize's own config file; with OpenSearch, 8.9+ puts the host under es.connection.nodes.
  const nodesHost = modern(ctx) ? opensearchHost(ctx) : tpl(ctx, str(v, 'global.elasticsearch.url.host'));
  const sa = serviceAccountName(o, fn);
  return [
    ...serviceAccount(ctx, sa, o, labels),
    configMap(ctx, `${fn}-configuration`, labels, {
      'environment-config.yaml': `zeebe:
  enabled: true
  partitionCount: 3
  name: "zeebe-record"
es:
  connection:
    nodes:
      - host: ${q(nodesHost)}
        httpPort: 9200
spring:
  profiles:
    active: "ccsm"
`,
    }),
    workload(ctx, 'Deployment', fn, labels, {
      serviceAccountName: sa,
      placement: o,
      container: {
        name: 'optimize',
        image: `camunda/optimize:${ctx.line}.0`,
        env,
        ...(on(v, 'global.identity.auth.enabled')
          ? { envFrom: [{ configMapRef: { name: `${platformFullname(ctx)}-identity-env-vars` } }] }
          : {}),
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          {
            name: 'environment-config',
            mountPath: '/optimize/config/environment-config.yaml',
            subPath: 'environment-config.yaml',
          },
        ],
      },
      volumes: [
        { name: 'environment-config', configMap: { name: `${fn}-configuration`, defaultMode: 492 } },
        { name: 'tmp', emptyDir: {} },
      ],
    }),
  ];
}

export function renderIdentity(ctx: Ctx): K8sObject[] {
  const v = ctx.v;
  const i = get(v, 'identity');
  const fn = componentFullname(ctx, 'identity', i);
  const labels = platformLabels(ctx, 'identity');
  const external = on(i, 'externalDatabase.enabled');
  const bundled = ctx.line !== '8.10' && on(v, 'identityPostgresql.enabled');
  let datasource = '';
  if (external || bundled) {
    const host = external
      ? str(i, 'externalDatabase.host')
      : trunc(`${ctx.release}-${str(v, 'identityPostgresql.nameOverride')}`);
    const port = external ? str(i, 'externalDatabase.port') || '5432' : '5432';
    const db = external ? str(i, 'externalDatabase.database') : str(v, 'identityPostgresql.auth.database');
    const user = external ? str(i, 'externalDatabase.username') : str(v, 'identityPostgresql.auth.username');
    datasource = `
  datasource:
    url: ${q(`jdbc:postgresql://${host}:${port}/${db}`)}
    username: ${q(user)}`;
  }
  const application = on(i, 'configuration')
    ? str(i, 'configuration')
    : `identity:
  url: ""
  flags:
    multi-tenancy: "false"
  authProvider:
    issuer-url: "http://${ctx.release}-keycloak:80/auth/realms/camunda-platform"
server:
  port: 8080
spring:
  servlet:
    multipart:
      max-file-size: "10MB"
      max-request-size: "10MB"
  profiles:
    active: keycloak${datasource}
camunda:
  identity:
    audience: "camunda-identity-resource-server"
`;
  const env: EnvVar[] = [];
  if (ctx.line === '8.7') {
    env.push(license(ctx), envValue('KEYCLOAK_URL', `http://${ctx.release}-keycloak:80/auth`));
    if (on(i, 'firstUser.enabled')) {
      env.push(
        on(i, 'firstUser.existingSecret')
          ? envSecret(
              'VALUES_IDENTITY_FIRSTUSER_PASSWORD',
              str(i, 'firstUser.existingSecret'),
              str(i, 'firstUser.existingSecretKey'),
            )
          : envValue('VALUES_IDENTITY_FIRSTUSER_PASSWORD', str(i, 'firstUser.password')),
      );
    }
    if (external || bundled) {
      env.push(
        envSecret(
          'IDENTITY_DATABASE_PASSWORD',
          str(i, 'externalDatabase.existingSecret') || `${ctx.release}-identity-postgresql`,
          str(i, 'externalDatabase.existingSecretPasswordKey') || 'password',
        ),
      );
    }
  } else {
    if (on(i, 'firstUser.enabled'))
      env.push(...secretConfigEnv('VALUES_IDENTITY_FIRSTUSER_PASSWORD', get(i, 'firstUser')));
    if (external)
      env.push(
        ...secretConfigEnv(
          'IDENTITY_DATABASE_PASSWORD',
          get(i, 'externalDatabase'),
          'password',
          'existingSecretPasswordKey',
        ),
      );
  }
  env.push(...valuesEnv(ctx, get(i, 'env')));
  const sa = serviceAccountName(i, fn);
  return [
    ...serviceAccount(ctx, sa, i, labels),
    configMap(ctx, `${fn}-configuration`, labels, { 'application.yaml': application }),
    workload(ctx, 'Deployment', fn, labels, {
      serviceAccountName: sa,
      placement: i,
      container: {
        // identity/deployment.yaml names the container {{ .Chart.Name }}.
        name: 'camunda-platform',
        image: `camunda/identity:${ctx.line}.0`,
        env,
        ...(Array.isArray(get(i, 'envFrom')) && (get(i, 'envFrom') as unknown[]).length
          ? { envFrom: get(i, 'envFrom') as Values[] }
          : {}),
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          configMount('/app/config/application.yaml', 'application.yaml'),
        ],
      },
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'config', configMap: { name: `${fn}-configuration` } },
      ],
    }),
  ];
}

/** Bitnami keycloak-24: its own defaults under the parent's identityKeycloak values. */
const KEYCLOAK_DEFAULTS: Values = {
  fullnameOverride: '',
  nameOverride: '',
  serviceAccount: { create: true, name: '', automountServiceAccountToken: false, annotations: {} },
  postgresql: { enabled: true, auth: { username: 'bn_keycloak', database: 'bitnami_keycloak' } },
  externalDatabase: {
    host: '',
    port: 5432,
    user: 'bn_keycloak',
    database: 'bitnami_keycloak',
    schema: 'public',
    existingSecret: '',
  },
  extraEnvVars: [],
  extraStartupArgs: '',
};

export function renderKeycloak(ctx: Ctx): K8sObject[] {
  const kc = mergeValues(KEYCLOAK_DEFAULTS, (get(ctx.v, 'identityKeycloak') as Values) ?? {});
  // common.names.fullname: lower-cased release with odd characters collapsed, then -keycloak.
  const rel = ctx.release.toLowerCase().replace(/(-?[^a-z\d-])+-?/g, '-');
  const name = str(kc, 'nameOverride') || 'keycloak';
  const fn = on(kc, 'fullnameOverride')
    ? trunc(str(kc, 'fullnameOverride'))
    : rel.includes(name)
      ? trunc(rel)
      : trunc(`${rel}-${name}`);
  const labels = {
    'app.kubernetes.io/instance': ctx.release,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/name': 'keycloak',
    'app.kubernetes.io/version': '26.3.3',
    'helm.sh/chart': 'keycloak-24.9.1',
    'app.kubernetes.io/component': 'keycloak',
  };
  const pg = on(kc, 'postgresql.enabled');
  const ed = get(kc, 'externalDatabase');
  const envVars: Record<string, string> = {
    KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
    KEYCLOAK_HTTP_PORT: '8080',
    KC_PROXY_HEADERS: 'xforwarded',
    KC_METRICS_ENABLED: 'false',
    KEYCLOAK_DATABASE_HOST: pg ? `${ctx.release}-postgresql` : tpl(ctx, str(ed, 'host')),
    KEYCLOAK_DATABASE_PORT: pg ? '5432' : tpl(ctx, str(ed, 'port')),
    KEYCLOAK_DATABASE_NAME: pg ? str(kc, 'postgresql.auth.database') : tpl(ctx, str(ed, 'database')),
    KEYCLOAK_DATABASE_SCHEMA: pg ? 'public' : tpl(ctx, str(ed, 'schema')),
    KEYCLOAK_DATABASE_USER: pg ? str(kc, 'postgresql.auth.username') : tpl(ctx, str(ed, 'user')),
    KEYCLOAK_PRODUCTION: 'false',
    KEYCLOAK_ENABLE_HTTPS: 'false',
  };
  const sa = on(kc, 'serviceAccount.name')
    ? str(kc, 'serviceAccount.name')
    : on(kc, 'serviceAccount.create')
      ? fn
      : 'default';
  const annotations = get(kc, 'serviceAccount.annotations');
  const account: K8sObject[] = on(kc, 'serviceAccount.create')
    ? [
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: sa,
            namespace: ctx.namespace,
            labels,
            ...(on(annotations) ? { annotations } : {}),
          },
          automountServiceAccountToken: false,
        },
      ]
    : [];
  return [
    ...account,
    configMap(ctx, `${fn}-env-vars`, labels, envVars),
    workload(ctx, 'StatefulSet', fn, labels, {
      serviceAccountName: sa,
      placement: kc,
      container: {
        name: 'keycloak',
        image: `docker.io/${str(kc, 'image.repository') || 'bitnami/keycloak'}:${str(kc, 'image.tag') || '26.3.3'}`,
        env: [
          envField('KUBERNETES_NAMESPACE', 'metadata.namespace'),
          envValue('BITNAMI_DEBUG', 'false'),
          envSecret('KC_BOOTSTRAP_ADMIN_PASSWORD', str(kc, 'auth.existingSecret') || fn, 'admin-password'),
          envSecret(
            'KEYCLOAK_DATABASE_PASSWORD',
            str(ed, 'existingSecret') || `${fn}-externaldb`,
            'db-password',
          ),
          envValue('KC_HTTP_RELATIVE_PATH', str(kc, 'httpRelativePath') || '/'),
          ...(on(kc, 'extraStartupArgs')
            ? [envValue('KEYCLOAK_EXTRA_ARGS', str(kc, 'extraStartupArgs'))]
            : []),
          ...valuesEnv(ctx, get(kc, 'extraEnvVars')),
        ],
        envFrom: [{ configMapRef: { name: `${fn}-env-vars` } }],
        volumeMounts: [{ name: 'empty-dir', mountPath: '/tmp', subPath: 'tmp-dir' }],
      },
      volumes: [{ name: 'empty-dir', emptyDir: {} }],
    }),
  ];
}

/** 8.10's camundaHub.values: webModeler with camundaHub's non-null keys merged on top. */
function webModelerValues(ctx: Ctx): Values {
  const wm = (get(ctx.v, 'webModeler') as Values) ?? {};
  if (ctx.line !== '8.10') return wm;
  const into = (dst: Values, src: Values): Values => {
    const out: Values = { ...dst };
    for (const [k, s] of Object.entries(src)) {
      if (s === null || s === undefined) continue;
      out[k] = isMap(s) && isMap(out[k]) ? into(out[k] as Values, s) : s;
    }
    return out;
  };
  return into(structuredClone(wm), (get(ctx.v, 'camundaHub') as Values) ?? {});
}

export function renderWebModeler(ctx: Ctx): K8sObject[] {
  const v = ctx.v;
  const wm = webModelerValues(ctx);
  const fn = componentFullname(ctx, 'web-modeler', wm);
  const sa = serviceAccountName(wm, fn);
  const pgKey = ctx.line === '8.7' ? 'postgresql' : 'webModelerPostgresql';
  const pg = ctx.line !== '8.10' && on(v, `${pgKey}.enabled`);
  const ed = get(wm, 'restapi.externalDatabase');
  let url = '';
  let user = '';
  if (pg) {
    url = `jdbc:postgresql://${componentFullname(ctx, 'postgresql', get(v, pgKey))}:5432/${str(v, `${pgKey}.auth.database`)}`;
    user = str(v, `${pgKey}.auth.username`);
  } else {
    url =
      str(ed, 'url') ||
      (str(ed, 'host')
        ? `jdbc:postgresql://${str(ed, 'host')}:${str(ed, 'port')}/${str(ed, 'database')}`
        : '');
    user =
      ctx.line === '8.7' || ctx.line === '8.8'
        ? str(ed, 'user')
        : ctx.line === '8.9'
          ? str(ed, 'username') || str(ed, 'user')
          : str(ed, 'username');
  }
  const common = { ...platformLabels(ctx, 'web-modeler') };
  const labelsFor = (component: string) => ({ ...common, 'app.kubernetes.io/component': component });
  const restapiConfig = on(wm, 'restapi.configuration')
    ? str(wm, 'restapi.configuration')
    : `camunda:
  identity:
    type: "KEYCLOAK"
  modeler:
    pusher:
      host: "${trunc(fn, 52)}-websockets"
      port: 80
    mail:
      from-address: ${q(get(wm, 'restapi.mail.fromAddress'))}
spring:
  datasource:
    url: ${q(url)}
    username: ${q(user)}
  mail:
    host: ""
    port: 587
`;
  const restapi = workload(ctx, 'Deployment', `${trunc(fn, 55)}-restapi`, labelsFor('restapi'), {
    serviceAccountName: sa,
    placement: get(wm, 'restapi'),
    container: {
      name: 'web-modeler-restapi',
      image: `camunda/web-modeler-restapi:${ctx.line}.0`,
      env: [
        license(ctx),
        envValue('JAVA_OPTIONS', '-Xmx1536m'),
        envSecret('RESTAPI_PUSHER_SECRET', fn, 'pusher-app-secret'),
        envValue('ZEEBE_CLIENT_CONFIG_PATH', '/tmp/zeebe_client_cache.txt'),
        ...(ctx.line === '8.10'
          ? [envValue('CAMUNDA_MODELER_FEATURE_CONSOLE_ENABLED', String(on(v, 'camundaHub.enabled')))]
          : []),
        ...valuesEnv(ctx, get(wm, 'restapi.env')),
      ],
      envFrom: [{ configMapRef: { name: `${platformFullname(ctx)}-documentstore-env-vars` } }],
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        configMount('/home/runner/config/application.yaml', 'application.yaml'),
      ],
    },
    volumes: [
      { name: 'tmp', emptyDir: {} },
      { name: 'config', configMap: { name: `${fn}-restapi-configuration` } },
    ],
  });
  const simple = (suffix: string, cut: number) =>
    workload(ctx, 'Deployment', `${trunc(fn, cut)}-${suffix}`, labelsFor(suffix), {
      serviceAccountName: sa,
      placement: get(wm, suffix),
      container: {
        name: `web-modeler-${suffix}`,
        image: `camunda/web-modeler-${suffix}:${ctx.line}.0`,
        env: [envValue('PUSHER_HOST', `${trunc(fn, 52)}-websockets`)],
      },
    });
  return [
    ...serviceAccount(ctx, sa, wm, labelsFor('web-modeler')),
    configMap(ctx, `${fn}-restapi-configuration`, labelsFor('restapi'), {
      'application.yaml': restapiConfig,
    }),
    restapi,
    ...(ctx.line === '8.7' || ctx.line === '8.8' ? [simple('webapp', 56)] : []),
    simple('websockets', 52),
  ];
}

export function renderSimple(ctx: Ctx, key: 'connectors' | 'console'): K8sObject[] {
  const c = get(ctx.v, key);
  const fn = componentFullname(ctx, key, c);
  const labels = platformLabels(ctx, key);
  const sa = serviceAccountName(c, fn);
  return [
    ...serviceAccount(ctx, sa, c, labels),
    workload(ctx, 'Deployment', fn, labels, {
      serviceAccountName: sa,
      placement: c,
      container: {
        name: key === 'connectors' ? 'connectors' : 'camunda-platform',
        image: `camunda/${key}:${ctx.line}.0`,
        env: [envValue('CAMUNDA_CLIENT_MODE', 'self-managed'), ...valuesEnv(ctx, get(c, 'env'))],
      },
    }),
  ];
}

export function renderSharedConfigMaps(ctx: Ctx): K8sObject[] {
  const labels = platformLabels(ctx, 'camunda-platform');
  const out = [
    configMap(ctx, `${platformFullname(ctx)}-documentstore-env-vars`, labels, {
      DOCUMENT_DEFAULT_STORE_ID: str(ctx.v, 'global.documentStore.activeStoreId') || 'inmemory',
      DOCUMENT_STORE_INMEMORY_CLASS: 'io.camunda.document.store.inmemory.InMemoryDocumentStoreProvider',
    }),
  ];
  if (on(ctx.v, 'global.identity.auth.enabled')) {
    out.push(
      configMap(ctx, `${platformFullname(ctx)}-identity-env-vars`, labels, {
        CAMUNDA_IDENTITY_BASEURL: `http://${componentFullname(ctx, 'identity', get(ctx.v, 'identity'))}:80`,
        CAMUNDA_IDENTITY_TYPE: 'KEYCLOAK',
      }),
    );
  }
  return out;
}
