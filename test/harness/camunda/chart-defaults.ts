/**
 * The part of each Camunda chart's values.yaml (charts/camunda-platform-8.x/values.yaml at
 * camunda-platform-helm b5c494d) that the templates rendering workloads, ServiceAccounts and
 * database/OpenSearch settings read. Nulls are kept where the chart has them, because a release
 * stores them and Helm drops them when merging.
 */

export type Values = Record<string, unknown>;
export type Line = '8.7' | '8.8' | '8.9' | '8.10';

export const CHART_VERSION: Record<Line, string> = {
  '8.7': '12.13.3',
  '8.8': '13.12.7',
  '8.9': '14.8.4',
  '8.10': '15.0.0-alpha4',
};

const sa = (automount = false) => ({
  enabled: true,
  name: '',
  annotations: {},
  labels: {},
  automountServiceAccountToken: automount,
});

/** The brokers' default: one per node (values.yaml zeebe/orchestration.affinity, every line). */
const brokerAntiAffinity = (): Values => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        labelSelector: {
          matchExpressions: [
            { key: 'app.kubernetes.io/component', operator: 'In', values: ['zeebe-broker'] },
          ],
        },
        topologyKey: 'kubernetes.io/hostname',
      },
    ],
  },
});

const component = (enabled: boolean, extra: Values = {}): Values => ({
  enabled,
  fullnameOverride: '',
  nameOverride: '',
  env: [],
  envFrom: [],
  configuration: '',
  serviceAccount: sa(),
  ...extra,
});

function defaults87(): Values {
  return {
    global: {
      labels: { app: 'camunda-platform' },
      annotations: {},
      elasticsearch: {
        enabled: true,
        external: false,
        disableExporter: false,
        url: { protocol: 'http', host: '{{ .Release.Name }}-elasticsearch', port: 9200 },
        clusterName: 'elasticsearch',
        prefix: 'zeebe-record',
      },
      opensearch: {
        enabled: false,
        aws: { enabled: false },
        auth: { username: null, password: null, existingSecret: null, existingSecretKey: 'password' },
        url: { protocol: 'https', host: null, port: 443 },
      },
      zeebeClusterName: '{{ .Release.Name }}-zeebe',
      identity: { auth: { enabled: true, identity: { existingSecret: '' } } },
      multiregion: { regions: 1, regionId: 0 },
      documentStore: { activeStoreId: 'inmemory' },
      license: { existingSecret: '', existingSecretKey: '' },
    },
    console: component(false),
    zeebe: component(true, {
      javaOpts: '-XX:MaxRAMPercentage=25.0',
      logLevel: 'info',
      clusterSize: '3',
      affinity: brokerAntiAffinity(),
    }),
    zeebeGateway: component(true),
    operate: component(true),
    tasklist: component(true),
    optimize: component(true),
    identity: component(true, {
      firstUser: {
        enabled: true,
        username: 'demo',
        password: 'demo',
        existingSecret: '',
        existingSecretKey: 'identity-firstuser-password',
      },
      externalDatabase: {
        enabled: false,
        host: null,
        port: null,
        username: null,
        database: null,
        existingSecret: null,
      },
    }),
    identityPostgresql: {
      enabled: false,
      nameOverride: 'identity-postgresql',
      auth: { username: 'identity', database: 'identity' },
    },
    identityKeycloak: {
      enabled: true,
      nameOverride: 'keycloak',
      image: { repository: 'camunda/keycloak', tag: '26.3.3' },
      extraEnvVars: [],
      httpRelativePath: '/auth/',
    },
    webModeler: {
      enabled: false,
      fullnameOverride: '',
      nameOverride: '',
      restapi: {
        externalDatabase: {
          url: '',
          host: '',
          port: 5432,
          database: 'web-modeler',
          user: '',
          password: '',
          existingSecret: '',
        },
        mail: { fromAddress: '' },
        env: [],
        envFrom: [],
        configuration: '',
      },
      serviceAccount: sa(),
    },
    postgresql: {
      enabled: false,
      nameOverride: 'postgresql-web-modeler',
      auth: { username: 'web-modeler', database: 'web-modeler' },
    },
    connectors: component(true),
    elasticsearch: { enabled: true },
  };
}

function defaults88(): Values {
  return {
    global: {
      labels: { app: 'camunda-platform' },
      annotations: {},
      elasticsearch: {
        enabled: true,
        external: false,
        disableExporter: false,
        url: { protocol: 'http', host: '{{ .Release.Name }}-elasticsearch', port: 9200 },
        clusterName: 'elasticsearch',
        prefix: 'zeebe-record',
        auth: { username: '' },
      },
      opensearch: {
        enabled: false,
        aws: { enabled: false },
        auth: {
          username: '',
          password: '',
          existingSecret: '',
          existingSecretKey: 'password',
          secret: { inlineSecret: '', existingSecret: '', existingSecretKey: '' },
        },
        url: { protocol: 'https', host: '', port: 443 },
        clusterName: 'opensearch',
        prefix: 'zeebe-record',
      },
      zeebeClusterName: '{{ .Release.Name }}-zeebe',
      identity: { auth: { enabled: false } },
      multiregion: { regions: 1, regionId: 0 },
      noSecondaryStorage: false,
      documentStore: { activeStoreId: 'inmemory' },
    },
    identity: component(false, {
      firstUser: {
        enabled: true,
        username: 'demo',
        password: 'demo',
        existingSecret: 'camunda-credentials',
        existingSecretKey: 'identity-firstuser-password',
        secret: { inlineSecret: '', existingSecret: '', existingSecretKey: '' },
      },
      externalDatabase: { enabled: false, host: '', port: 5432, username: '', database: '' },
    }),
    identityPostgresql: {
      enabled: false,
      nameOverride: 'identity-postgresql',
      auth: { username: 'identity', database: 'identity' },
    },
    identityKeycloak: {
      enabled: false,
      nameOverride: 'keycloak',
      image: { repository: 'camunda/keycloak', tag: '26.3.3' },
      extraEnvVars: [],
    },
    console: component(false),
    webModeler: {
      enabled: false,
      fullnameOverride: '',
      nameOverride: '',
      restapi: {
        externalDatabase: {
          url: '',
          host: '',
          port: 5432,
          database: 'web-modeler',
          user: '',
          password: '',
          existingSecret: '',
        },
        mail: { fromAddress: '' },
        env: [],
        envFrom: [],
        configuration: '',
      },
      serviceAccount: sa(),
    },
    webModelerPostgresql: {
      enabled: false,
      nameOverride: 'postgresql-web-modeler',
      auth: { username: 'web-modeler', database: 'web-modeler' },
    },
    connectors: component(true),
    orchestration: component(true, {
      profiles: { broker: true, identity: true, operate: true, tasklist: true },
      migration: { data: { enabled: false } },
      exporters: { camunda: { enabled: true }, zeebe: { enabled: false } },
      index: { prefix: '', replicas: 0 },
      javaOpts: '-XX:+HeapDumpOnOutOfMemoryError',
      affinity: brokerAntiAffinity(),
    }),
    optimize: component(false),
    elasticsearch: { enabled: true },
  };
}

function defaults89(): Values {
  const d = defaults88() as Record<string, Values>;
  const g = d.global as Record<string, Values>;
  (g.elasticsearch as Values).enabled = false;
  delete (g.opensearch as Values).auth;
  (g.opensearch as Values).auth = { username: '' };
  (d.elasticsearch as Values).enabled = false;
  const ed = ((d.webModeler as Values).restapi as Values).externalDatabase as Values;
  ed.username = '';
  d.orchestration = component(true, {
    affinity: brokerAntiAffinity(),
    profiles: { broker: true, admin: true, operate: true, tasklist: true },
    exporters: { camunda: { enabled: true }, rdbms: { enabled: false }, zeebe: { enabled: false } },
    data: {
      secondaryStorage: {
        type: '',
        rdbms: { aws: { enabled: false }, url: '', username: '' },
        elasticsearch: { aws: { enabled: false }, url: '', auth: { username: '' } },
        opensearch: { aws: { enabled: false }, url: '', auth: { username: '' } },
      },
    },
    index: { prefix: '', replicas: 0 },
    extraConfiguration: [],
  });
  d.optimize = component(false, {
    database: {
      elasticsearch: {
        enabled: false,
        external: false,
        url: { protocol: '', host: '', port: 0 },
        auth: { username: '' },
      },
      opensearch: {
        enabled: false,
        aws: { enabled: false },
        url: { protocol: '', host: '', port: 0 },
        auth: { username: '' },
      },
    },
  });
  return d;
}

function defaults810(): Values {
  const d = defaults89() as Record<string, Values>;
  delete d.identityKeycloak;
  delete d.identityPostgresql;
  delete d.webModelerPostgresql;
  delete d.console;
  delete d.elasticsearch;
  (d.global as Values).topology = { mode: 'combined', clusters: [] };
  const identity = d.identity as Values;
  identity.firstUser = {
    enabled: true,
    username: 'demo',
    secret: { inlineSecret: '', existingSecret: '', existingSecretKey: '' },
  };
  identity.externalDatabase = { enabled: false, host: '', port: 5432, username: '', database: '' };
  const ed = ((d.webModeler as Values).restapi as Values).externalDatabase as Values;
  delete ed.user;
  d.camundaHub = {
    enabled: false,
    contextPath: null,
    restapi: { externalDatabase: {}, mail: {} },
    websockets: {},
    serviceAccount: {},
  };
  return d;
}

export function chartDefaults(line: Line): Values {
  switch (line) {
    case '8.7':
      return defaults87();
    case '8.8':
      return defaults88();
    case '8.9':
      return defaults89();
    case '8.10':
      return defaults810();
  }
}
