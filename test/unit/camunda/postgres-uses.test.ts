import { describe, expect, it } from 'vitest';
import type { AppConfig, ConfigValue } from '../../../src/camunda/app-config.js';
import { postgresUses } from '../../../src/camunda/postgres-uses.js';
import { readConfigFile } from '../../../src/camunda/read-config-file.js';

const v = (value: string, source = 'env'): ConfigValue => ({ value, source });
function config(env: Record<string, ConfigValue>, yaml = ''): AppConfig {
  return {
    env,
    commandLine: {},
    systemProperties: {},
    springFiles: yaml ? [readConfigFile('application.yaml', yaml, 'cm/application.yaml')] : [],
    otherFiles: [],
    notes: [],
  };
}
const H = 'camunda.cluster-abc.eu-west-1.rds.amazonaws.com';

describe('postgresUses', () => {
  it('Spring datasource: URL parts, user from username, driver, IAM from the wrapper URL', () => {
    const [u] = postgresUses(
      'spring-datasource',
      config(
        {
          SPRING_DATASOURCE_URL: v(
            `jdbc:aws-wrapper:postgresql://${H}:5432/identity?wrapperPlugins=iam&ssl=true`,
          ),
          SPRING_DATASOURCE_DRIVER_CLASS_NAME: v('software.amazon.jdbc.Driver'),
        },
        'spring:\n  datasource:\n    url: "jdbc:postgresql://h:5432/identity"\n    username: "identity_irsa"\n',
      ),
    );
    expect(u).toMatchObject({
      purpose: 'datasource',
      host: { value: H, source: 'env' },
      port: { value: 5432 },
      database: { value: 'identity' },
      user: { value: 'identity_irsa', source: 'file:cm/application.yaml#spring.datasource.username' },
      iam: { value: true },
      driver: { value: 'software.amazon.jdbc.Driver' },
      params: { wrapperPlugins: 'iam', ssl: 'true' },
      notes: [],
    });
  });

  it('takes the user from the URL when no username is set, and notes two different users', () => {
    const [a] = postgresUses(
      'spring-datasource',
      config({
        SPRING_DATASOURCE_URL: v(`jdbc:aws-wrapper:postgresql://${H}/db?wrapperPlugins=iam&user=u1`),
      }),
    );
    expect(a!.user).toEqual({ value: 'u1', source: 'env#user' });
    expect(a!.port).toEqual({ value: 5432, source: 'env (PostgreSQL default port)' });
    const [b] = postgresUses(
      'spring-datasource',
      config({
        SPRING_DATASOURCE_URL: v(`jdbc:postgresql://${H}/db?user=u1`),
        SPRING_DATASOURCE_USERNAME: v('u2'),
      }),
    );
    expect(b!.user?.value).toBe('u2');
    expect(b!.iam.value).toBe(false);
    expect(b!.notes.join()).toMatch(/u2 .* differs from the URL's user=u1/);
  });

  it('says where a value it cannot read comes from', () => {
    const [u] = postgresUses(
      'spring-datasource',
      config({
        SPRING_DATASOURCE_URL: {
          source: 'env:SPRING_DATASOURCE_URL <- secret:db/url',
          secretRef: { name: 'db', key: 'url' },
        },
        SPRING_DATASOURCE_USERNAME: {
          source: 'env:U <- secret:db/user',
          secretRef: { name: 'db', key: 'user' },
        },
      }),
    );
    expect(u!.url).toBeUndefined();
    expect(u!.notes).toEqual([
      'the JDBC URL comes from Secret db key url (not read)',
      'the database user comes from Secret db key user (not read)',
    ]);
    expect(
      postgresUses('spring-datasource', config({ SPRING_DATASOURCE_URL: v('mysql://x') }))[0]!.notes[0],
    ).toMatch(/cannot be read/);
  });

  it('no use when no database is configured (the chart renders an empty URL)', () => {
    expect(postgresUses('spring-datasource', config({}, 'spring.datasource.url: ""\n'))).toEqual([]);
    expect(postgresUses('none', config({ SPRING_DATASOURCE_URL: v('jdbc:postgresql://h/db') }))).toEqual([]);
  });

  it('Keycloak: the Bitnami image builds the URL from KEYCLOAK_DATABASE_* and KEYCLOAK_JDBC_*', () => {
    const [u] = postgresUses(
      'keycloak',
      config({
        KEYCLOAK_DATABASE_HOST: v(H, 'envFrom:configmap:kc-env-vars/KEYCLOAK_DATABASE_HOST'),
        KEYCLOAK_DATABASE_PORT: v('5432'),
        KEYCLOAK_DATABASE_NAME: v('keycloak'),
        KEYCLOAK_DATABASE_USER: v('keycloak_irsa'),
        KEYCLOAK_JDBC_DRIVER: v('aws-wrapper:postgresql'),
        KEYCLOAK_JDBC_PARAMS: v('wrapperPlugins=iam&ssl=true&sslmode=require'),
        KEYCLOAK_EXTRA_ARGS: v('--db-driver=software.amazon.jdbc.Driver --transaction-xa-enabled=false'),
      }),
    );
    expect(u).toMatchObject({
      purpose: 'keycloak',
      url: {
        value: `jdbc:aws-wrapper:postgresql://${H}:5432/keycloak?currentSchema=public&wrapperPlugins=iam&ssl=true&sslmode=require`,
      },
      host: { value: H, source: 'envFrom:configmap:kc-env-vars/KEYCLOAK_DATABASE_HOST' },
      user: { value: 'keycloak_irsa' },
      iam: { value: true },
      driver: { value: 'software.amazon.jdbc.Driver' },
    });
  });

  it('Keycloak: plain postgresql without the JDBC variables, KC_DB_URL when set', () => {
    const plain = postgresUses('keycloak', config({ KEYCLOAK_DATABASE_HOST: v(H) }))[0]!;
    expect(plain).toMatchObject({ iam: { value: false }, database: { value: 'bitnami_keycloak' } });
    expect(plain.iam.source).toMatch(/image-default/);
    const direct = postgresUses(
      'keycloak',
      config({
        KC_DB_URL: v(`jdbc:aws-wrapper:postgresql://${H}/kc?wrapperPlugins=iam`),
        KC_DB_USERNAME: v('k'),
      }),
    )[0]!;
    expect(direct).toMatchObject({ iam: { value: true }, user: { value: 'k' }, database: { value: 'kc' } });
    expect(postgresUses('keycloak', config({}))).toEqual([]);
  });

  it('orchestration RDBMS: aws-enabled is the IAM switch', () => {
    const [u] = postgresUses(
      'orchestration',
      config(
        {},
        'camunda:\n  data:\n    secondary-storage:\n      rdbms:\n        aws-enabled: true\n        url: "jdbc:postgresql://h:5432/camunda"\n        username: "camunda"\n',
      ),
    );
    expect(u).toMatchObject({
      purpose: 'rdbms',
      iam: { value: true },
      user: { value: 'camunda' },
      host: { value: 'h' },
    });
    expect(postgresUses('orchestration', config({}))).toEqual([]);
  });
});
