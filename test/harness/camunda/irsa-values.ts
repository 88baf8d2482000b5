// The user values of a typical Aurora PostgreSQL + Amazon OpenSearch IRSA setup, per chart line, as
// Camunda's IRSA guide and its EKS reference architecture write them: OpenSearch with the AWS
// switch, Identity and Web Modeler on the AWS JDBC wrapper with the iam plugin, Keycloak on the
// camunda/keycloak image with KEYCLOAK_JDBC_* variables, one annotated ServiceAccount each.
import type { Line, Values } from './chart-defaults.js';

export const ACCOUNT = '111122223333';
export const AURORA_HOST = 'camunda-aurora.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com';
export const OPENSEARCH_HOST = 'vpc-camunda-os-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com';
export const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

export type NoIamComponent = 'identity' | 'webModeler' | 'keycloak';

export interface IrsaValuesOptions {
  /** Give every ServiceAccount an explicit name (the reference does); otherwise the chart derives them. */
  explicitServiceAccounts?: boolean;
  /** This component's JDBC URL lacks the AWS wrapper's iam plugin. */
  noIam?: NoIamComponent;
  /** The OpenSearch AWS switch; default true. */
  opensearchAws?: boolean;
  /** A password placed where the chart renders it into pod specs and ConfigMaps. */
  canary?: string;
  webModeler?: boolean;
  keycloak?: boolean;
  optimize?: boolean;
  /** Where Aurora and OpenSearch are (default the AWS names above): loopback emulators for pods that log in. */
  endpoints?: { aurora: { host: string; port: number }; opensearch: { host: string; port: number } };
}

const ANNOTATION = 'eks.amazonaws.com/role-arn';

export function irsaValues(line: Line, o: IrsaValuesOptions = {}): Values {
  const explicit = o.explicitServiceAccounts ?? true;
  const aws = o.opensearchAws ?? true;
  const sa = (name: string, roleName: string): Values => ({
    serviceAccount: { ...(explicit ? { name } : {}), annotations: { [ANNOTATION]: role(roleName) } },
  });
  const plain = (name: string): Values => (explicit ? { serviceAccount: { name } } : {});
  const aurora = o.endpoints?.aurora ?? { host: AURORA_HOST, port: 5432 };
  const search = o.endpoints?.opensearch ?? { host: OPENSEARCH_HOST, port: 443 };
  const jdbc = (db: string, params: string) =>
    `jdbc:aws-wrapper:postgresql://${aurora.host}:${aurora.port}/${db}${params ? `?${params}` : ''}`;

  const identityUrl = jdbc('identity', 'wrapperPlugins=iam') + (o.canary ? `&password=${o.canary}` : '');
  const identity: Values = {
    enabled: true,
    externalDatabase: {
      enabled: true,
      host: aurora.host,
      port: aurora.port,
      username: 'identity_irsa',
      database: 'identity',
    },
    // The chart builds jdbc:postgresql:// itself; IRSA needs the wrapper URL and driver through env.
    env:
      o.noIam === 'identity'
        ? []
        : [
            { name: 'SPRING_DATASOURCE_URL', value: identityUrl },
            { name: 'SPRING_DATASOURCE_DRIVER_CLASS_NAME', value: 'software.amazon.jdbc.Driver' },
            { name: 'SPRING_DATASOURCE_USERNAME', value: 'identity_irsa' },
          ],
    ...sa('identity-sa', 'camunda-identity-aurora'),
  };
  if (o.canary) {
    identity.firstUser = line === '8.7' ? { password: o.canary } : { secret: { inlineSecret: o.canary } };
  }

  const modelerUrl =
    o.noIam === 'webModeler'
      ? `jdbc:postgresql://${aurora.host}:${aurora.port}/modeler`
      : jdbc('modeler', 'wrapperPlugins=iam,failover&sslmode=require');
  // The user key moved: user (8.7, 8.8), username | default user (8.9), username (8.10).
  const userKey = line === '8.10' ? 'username' : 'user';
  const restapi: Values = {
    externalDatabase: { url: modelerUrl, [userKey]: 'modeler_irsa' },
    env: [
      { name: 'SPRING_DATASOURCE_DRIVER_CLASS_NAME', value: 'software.amazon.jdbc.Driver' },
      ...(o.canary ? [{ name: 'SPRING_DATASOURCE_PASSWORD', value: o.canary }] : []),
    ],
    mail: { fromAddress: 'noreply@example.com' },
  };

  const keycloakEnv =
    o.noIam === 'keycloak'
      ? []
      : [
          {
            name: 'KEYCLOAK_EXTRA_ARGS',
            value:
              '--db-driver=software.amazon.jdbc.Driver --transaction-xa-enabled=false --log-level=INFO,software.amazon.jdbc:INFO',
          },
          { name: 'KEYCLOAK_JDBC_PARAMS', value: 'wrapperPlugins=iam&ssl=true&sslmode=require' },
          { name: 'KEYCLOAK_JDBC_DRIVER', value: 'aws-wrapper:postgresql' },
        ];
  const identityKeycloak: Values = {
    enabled: o.keycloak ?? true,
    postgresql: { enabled: false },
    image: { repository: 'camunda/keycloak', tag: '26.3.3' },
    extraEnvVars: [
      ...keycloakEnv,
      ...(o.canary ? [{ name: 'KEYCLOAK_DATABASE_PASSWORD', value: o.canary }] : []),
    ],
    externalDatabase: { host: aurora.host, port: aurora.port, user: 'keycloak_irsa', database: 'keycloak' },
    ...sa('keycloak-sa', 'camunda-keycloak-aurora'),
  };

  const opensearchUrl = { protocol: 'https', host: search.host, port: search.port };
  const osAuth = o.canary && line !== '8.7' ? { auth: { secret: { inlineSecret: o.canary } } } : {};

  if (line === '8.7') {
    return {
      global: {
        elasticsearch: { enabled: false },
        opensearch: { enabled: true, aws: { enabled: aws }, url: opensearchUrl },
      },
      elasticsearch: { enabled: false },
      zeebe: sa('zeebe-sa', 'camunda-opensearch'),
      zeebeGateway: plain('zeebe-gateway-sa'),
      operate: sa('operate-sa', 'camunda-opensearch'),
      tasklist: sa('tasklist-sa', 'camunda-opensearch'),
      optimize: { enabled: o.optimize ?? true, ...sa('optimize-sa', 'camunda-opensearch') },
      identity,
      identityKeycloak,
      webModeler: {
        enabled: o.webModeler ?? true,
        restapi,
        ...sa('webmodeler-sa', 'camunda-webmodeler-aurora'),
      },
      postgresql: { enabled: false },
      connectors: plain('connectors-sa'),
    };
  }
  const common: Values = {
    identity,
    webModeler: {
      enabled: o.webModeler ?? true,
      restapi,
      ...sa('webmodeler-sa', 'camunda-webmodeler-aurora'),
    },
    connectors: plain('connectors-sa'),
  };
  if (line === '8.8') {
    return {
      ...common,
      global: {
        elasticsearch: { enabled: false },
        opensearch: { enabled: true, aws: { enabled: aws }, url: opensearchUrl, ...osAuth },
      },
      elasticsearch: { enabled: false },
      orchestration: sa('orchestration-sa', 'camunda-opensearch'),
      optimize: { enabled: o.optimize ?? true, ...sa('optimize-sa', 'camunda-opensearch') },
      identityKeycloak,
      webModelerPostgresql: { enabled: false },
    };
  }
  // 8.9 and 8.10: component keys instead of the deprecated global ones.
  const modern: Values = {
    ...common,
    global: { opensearch: { ...osAuth } },
    orchestration: {
      data: {
        secondaryStorage: {
          type: 'opensearch',
          opensearch: { url: `https://${search.host}:${search.port}`, aws: { enabled: aws } },
        },
      },
      ...sa('orchestration-sa', 'camunda-opensearch'),
    },
    optimize: {
      enabled: o.optimize ?? true,
      database: { opensearch: { enabled: true, url: opensearchUrl, aws: { enabled: aws } } },
      ...sa('optimize-sa', 'camunda-opensearch'),
    },
  };
  if (line === '8.9') return { ...modern, identityKeycloak, webModelerPostgresql: { enabled: false } };
  // 8.10: Web Modeler is Camunda Hub; its keys live under camundaHub, webModeler stays off.
  const { webModeler: _wm, ...rest } = modern;
  return {
    ...rest,
    camundaHub: {
      enabled: o.webModeler ?? true,
      restapi,
      ...sa('webmodeler-sa', 'camunda-webmodeler-aurora'),
    },
  };
}
