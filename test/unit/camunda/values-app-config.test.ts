import { describe, expect, it } from 'vitest';
import { springSetting } from '../../../src/camunda/spring-setting.js';
import { valuesAppConfig } from '../../../src/camunda/values-app-config.js';
import { releaseValuesView } from '../../../src/camunda/values-view.js';
import { chartDefaults } from '../../harness/camunda/chart-defaults.js';

const release = { name: 'camunda', namespace: 'camunda' };
const view = (line: '8.7' | '8.8' | '8.9' | '8.10', user: Record<string, unknown>) =>
  releaseValuesView(chartDefaults(line), user);

describe('valuesAppConfig', () => {
  it('Web Modeler user key: user (8.8), username | default user (8.9), camundaHub.restapi.externalDatabase.username (8.10)', () => {
    const db = (ed: object) => ({
      webModeler: { enabled: true, restapi: { externalDatabase: { url: 'jdbc:postgresql://h/db', ...ed } } },
    });
    const user = (line: '8.8' | '8.9', ed: object) =>
      springSetting(
        valuesAppConfig('web-modeler-restapi', line, view(line, db(ed)), release),
        'spring.datasource.username',
      );
    expect(user('8.8', { user: 'u', username: 'ignored' })).toMatchObject({
      value: 'u',
      source: 'values:webModeler.restapi.externalDatabase.user',
    });
    expect(user('8.9', { user: 'u' })?.value).toBe('u');
    expect(user('8.9', { user: 'u', username: 'n' })?.value).toBe('n');
    const hub = valuesAppConfig(
      'web-modeler-restapi',
      '8.10',
      view('8.10', {
        webModeler: { restapi: { externalDatabase: { url: 'jdbc:postgresql://old/db', username: 'old' } } },
        camundaHub: {
          enabled: true,
          restapi: { externalDatabase: { url: 'jdbc:postgresql://hub/db', username: 'hubuser' } },
        },
      }),
      release,
    );
    expect(springSetting(hub, 'spring.datasource.url')).toMatchObject({
      value: 'jdbc:postgresql://hub/db',
      source: 'values:camundaHub.restapi.externalDatabase.url',
    });
    expect(springSetting(hub, 'spring.datasource.username')?.value).toBe('hubuser');
  });

  it('Keycloak reads the subchart defaults the release does not store', () => {
    const c = valuesAppConfig(
      'keycloak',
      '8.8',
      view('8.8', {
        identityKeycloak: {
          enabled: true,
          postgresql: { enabled: false },
          externalDatabase: { host: 'aurora' },
        },
      }),
      release,
    );
    expect(c.env.KEYCLOAK_DATABASE_HOST).toEqual({
      value: 'aurora',
      source: 'values:identityKeycloak.externalDatabase.host',
    });
    expect(c.env.KEYCLOAK_DATABASE_PORT).toEqual({
      value: '5432',
      source: 'subchart-default:keycloak:externalDatabase.port',
    });
    expect(c.env.KEYCLOAK_DATABASE_USER?.value).toBe('bn_keycloak');
    const bundled = valuesAppConfig(
      'keycloak',
      '8.8',
      view('8.8', { identityKeycloak: { enabled: true } }),
      release,
    );
    expect(bundled.env.KEYCLOAK_DATABASE_HOST?.value).toBe('camunda-postgresql');
  });

  it('renders env values through tpl and marks what values cannot know', () => {
    const c = valuesAppConfig(
      'identity',
      '8.8',
      view('8.8', {
        identity: {
          env: [
            {
              name: 'SPRING_DATASOURCE_URL',
              value: 'jdbc:aws-wrapper:postgresql://{{ .Release.Name }}-db:5432/id?wrapperPlugins=iam',
            },
            { name: 'A', valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } },
            { name: 'B', value: '{{ .Values.global.host }}' },
          ],
          envFrom: [{ configMapRef: { name: 'extra' } }],
        },
      }),
      release,
    );
    expect(c.env.SPRING_DATASOURCE_URL?.value).toBe(
      'jdbc:aws-wrapper:postgresql://camunda-db:5432/id?wrapperPlugins=iam',
    );
    expect(c.env.A?.unresolved).toMatch(/not known from values/);
    expect(c.env.B?.unresolved).toMatch(/template/);
    expect(c.notes[0]).toMatch(/identity.envFrom adds envFrom sources/);
  });

  it('a component `configuration` replaces the rendered application.yaml', () => {
    const c = valuesAppConfig(
      'identity',
      '8.7',
      view('8.7', {
        identity: {
          externalDatabase: { enabled: true, host: 'rendered' },
          configuration: 'spring:\n  datasource:\n    url: jdbc:postgresql://custom/db\n',
        },
      }),
      release,
    );
    expect(springSetting(c, 'spring.datasource.url')).toMatchObject({ value: 'jdbc:postgresql://custom/db' });
    expect(springSetting(c, 'spring.datasource.url')?.source).toContain('values:identity.configuration');
  });

  it('8.9 orchestration: extraConfiguration files are spring.config.import-ed', () => {
    const c = valuesAppConfig(
      'orchestration',
      '8.9',
      view('8.9', {
        orchestration: {
          extraConfiguration: [
            {
              file: 'aws.yaml',
              content:
                'camunda:\n  data:\n    secondary-storage:\n      opensearch:\n        aws-enabled: true\n',
            },
          ],
        },
        global: { opensearch: { enabled: true, url: { host: 'os' } } },
      }),
      release,
    );
    expect(springSetting(c, 'camunda.data.secondary-storage.opensearch.aws-enabled')).toMatchObject({
      value: 'true',
    });
  });
});
