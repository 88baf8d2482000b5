import type { AppConfig, ConfigValue } from './app-config.js';
import type { Fact, PostgresPurpose, PostgresUse } from './camunda-component.js';
import type { AppKind } from './component-catalog.js';
import { parseJdbcUrl } from './parse-jdbc-url.js';
import { springSetting } from './spring-setting.js';

/**
 * The PostgreSQL connections an application makes, read from its configuration the way the
 * application reads it: Spring's `spring.datasource.*` (Identity, Web Modeler REST API), the
 * orchestration cluster's RDBMS secondary storage (8.9+), and the Bitnami Keycloak image's
 * KEYCLOAK_DATABASE_* / KEYCLOAK_JDBC_* variables, from which it builds its own JDBC URL.
 */
export function postgresUses(app: AppKind, config: AppConfig): PostgresUse[] {
  switch (app) {
    case 'spring-datasource': {
      const url = springSetting(config, 'spring.datasource.url');
      // The chart renders an empty URL when no database is configured.
      if (!url || (url.value === '' && !url.secretRef)) return [];
      return [
        buildUse('datasource', url, {
          user: springSetting(config, 'spring.datasource.username'),
          driver: springSetting(config, 'spring.datasource.driver-class-name'),
        }),
      ];
    }
    case 'orchestration': {
      const url = springSetting(config, 'camunda.data.secondary-storage.rdbms.url');
      if (!url || (url.value === '' && !url.secretRef)) return [];
      const aws = springSetting(config, 'camunda.data.secondary-storage.rdbms.aws-enabled');
      return [
        buildUse('rdbms', url, {
          user: springSetting(config, 'camunda.data.secondary-storage.rdbms.username'),
          iam: aws?.value !== undefined ? { value: isTrue(aws.value), source: aws.source } : undefined,
        }),
      ];
    }
    case 'keycloak':
      return keycloakUse(config);
    default:
      return [];
  }
}

function buildUse(
  purpose: PostgresPurpose,
  url: ConfigValue,
  more: { user?: ConfigValue; driver?: ConfigValue; iam?: Fact<boolean> | undefined; extraNotes?: string[] },
): PostgresUse {
  const notes: string[] = [...(more.extraNotes ?? [])];
  const out: {
    -readonly [K in keyof PostgresUse]: PostgresUse[K];
  } = { purpose, iam: more.iam ?? { value: false, source: url.source }, params: {}, notes };
  if (url.value === undefined) {
    notes.push(unknownWhy('the JDBC URL', url));
  } else {
    const parsed = parseJdbcUrl(url.value);
    if (!parsed.ok) {
      notes.push(`the JDBC URL cannot be read: ${parsed.problem}`);
    } else {
      const u = parsed.url;
      const first = u.hosts[0];
      out.url = { value: u.text, source: url.source };
      if (first) {
        out.host = { value: first.host, source: url.source };
        out.port = {
          value: first.port,
          source: first.portDefaulted ? `${url.source} (PostgreSQL default port)` : url.source,
        };
      } else notes.push('the JDBC URL names no host (it means localhost)');
      if (u.hosts.length > 1)
        notes.push(`the JDBC URL lists ${u.hosts.length} hosts; the first is described`);
      if (u.database !== undefined) out.database = { value: u.database, source: url.source };
      out.params = u.params;
      if (!more.iam) out.iam = { value: u.iam, source: url.source };
      if (u.user) out.user = { value: u.user, source: `${url.source}#user` };
    }
  }
  const user = more.user;
  if (user?.value) {
    if (out.user && out.user.value !== user.value) {
      notes.push(
        `user ${user.value} (${user.source}) differs from the URL's user=${out.user.value}; which one the driver uses depends on the driver`,
      );
    }
    out.user = { value: user.value, source: user.source };
  } else if (user && user.value === undefined) {
    notes.push(unknownWhy('the database user', user));
  }
  if (more.driver?.value) out.driver = { value: more.driver.value, source: more.driver.source };
  return out;
}

/**
 * The Bitnami image writes `db-url` = jdbc:${KEYCLOAK_JDBC_DRIVER}://HOST:PORT/NAME?currentSchema=
 * SCHEMA&${KEYCLOAK_JDBC_PARAMS}, unless KC_DB_URL is set (bitnami/keycloak libkeycloak.sh).
 */
function keycloakUse(config: AppConfig): PostgresUse[] {
  const env = config.env;
  const driver = driverFromArgs(env.KEYCLOAK_EXTRA_ARGS) ?? withValue(env.KC_DB_DRIVER);
  const user = env.KC_DB_USERNAME ?? env.KEYCLOAK_DATABASE_USER;
  if (env.KC_DB_URL) return [buildUse('keycloak', env.KC_DB_URL, { user, driver })];
  const host = env.KEYCLOAK_DATABASE_HOST;
  if (!host) return [];
  const notes: string[] = [];
  const part = (v: ConfigValue | undefined, fallback: string, what: string): string => {
    if (v?.value !== undefined) return v.value;
    if (v) notes.push(unknownWhy(what, v));
    return fallback;
  };
  const jdbcDriver = part(env.KEYCLOAK_JDBC_DRIVER, 'postgresql', 'KEYCLOAK_JDBC_DRIVER');
  const schema = part(env.KC_DB_SCHEMA ?? env.KEYCLOAK_DATABASE_SCHEMA, 'public', 'the schema');
  const params = part(env.KEYCLOAK_JDBC_PARAMS, '', 'KEYCLOAK_JDBC_PARAMS').replace(/^&/, '');
  const url =
    `jdbc:${jdbcDriver}://${part(host, '', 'KEYCLOAK_DATABASE_HOST')}:${part(env.KEYCLOAK_DATABASE_PORT, '5432', 'KEYCLOAK_DATABASE_PORT')}` +
    `/${part(env.KEYCLOAK_DATABASE_NAME, 'bitnami_keycloak', 'KEYCLOAK_DATABASE_NAME')}?currentSchema=${schema}${params ? `&${params}` : ''}`;
  const use = buildUse(
    'keycloak',
    { value: url, source: 'derived:bitnami-keycloak-db-url' },
    { user, driver, extraNotes: notes },
  );
  // Point each part at the variable it came from rather than at the assembled URL.
  const src = (v: ConfigValue | undefined, fallback: string) => v?.source ?? fallback;
  return [
    {
      ...use,
      ...(use.host ? { host: { value: use.host.value, source: src(host, 'image-default') } } : {}),
      ...(use.port
        ? { port: { value: use.port.value, source: src(env.KEYCLOAK_DATABASE_PORT, 'image-default:5432') } }
        : {}),
      ...(use.database
        ? {
            database: { value: use.database.value, source: src(env.KEYCLOAK_DATABASE_NAME, 'image-default') },
          }
        : {}),
      iam: {
        value: use.iam.value,
        source: `${src(env.KEYCLOAK_JDBC_DRIVER, 'image-default:KEYCLOAK_JDBC_DRIVER=postgresql')} + ${src(env.KEYCLOAK_JDBC_PARAMS, 'no KEYCLOAK_JDBC_PARAMS')}`,
      },
    },
  ];
}

function driverFromArgs(args: ConfigValue | undefined): ConfigValue | undefined {
  const m = args?.value ? /--db-driver[= ](\S+)/.exec(args.value) : null;
  return m ? { value: m[1]!, source: `${args!.source} --db-driver` } : undefined;
}

function withValue(v: ConfigValue | undefined): ConfigValue | undefined {
  return v?.value ? v : undefined;
}

function isTrue(v: string): boolean {
  return v.trim().toLowerCase() === 'true';
}

function unknownWhy(what: string, v: ConfigValue): string {
  if (v.secretRef) return `${what} comes from Secret ${v.secretRef.name} key ${v.secretRef.key} (not read)`;
  if (v.redacted) return `${what} was redacted`;
  return `${what} is unknown: ${v.unresolved ?? 'no value'} (${v.source})`;
}
