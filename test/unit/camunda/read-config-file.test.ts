// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring ${placeholders} are what these tests are about.
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../src/camunda/read-config-file.js';

const value = (f: ReturnType<typeof readConfigFile>, key: string) => f.properties[key]?.value;

describe('readConfigFile', () => {
  it('flattens YAML like Spring, dotted keys included', () => {
    const f = readConfigFile(
      'application.yaml',
      `camunda.database:
  type: opensearch
  url: "https://os:443"
camunda.operate:
  opensearch:
    awsEnabled: true
zeebe:
  broker:
    exporters:
      opensearch:
        args:
          aws:
            enabled: true
list:
  - a
  - b: 1
`,
      'configmap:cm/application.yaml',
    );
    expect(value(f, 'camunda.database.url')).toBe('https://os:443');
    expect(value(f, 'camunda.operate.opensearch.awsenabled')).toBe('true');
    expect(value(f, 'zeebe.broker.exporters.opensearch.args.aws.enabled')).toBe('true');
    expect(value(f, 'list[0]')).toBe('a');
    expect(value(f, 'list[1].b')).toBe('1');
    expect(f.properties['camunda.database.url']!.source).toBe(
      'file:configmap:cm/application.yaml#camunda.database.url',
    );
  });

  it('applies only the profile documents that are active, later documents winning', () => {
    const text = `a: base
---
spring.config.activate.on-profile: aws
a: aws
---
spring:
  config:
    activate:
      on-profile: other
a: other
`;
    expect(value(readConfigFile('application.yaml', text, 's'), 'a')).toBe('base');
    expect(value(readConfigFile('application.yaml', text, 's', { activeProfiles: ['aws'] }), 'a')).toBe(
      'aws',
    );
  });

  it('reads .properties files', () => {
    const f = readConfigFile(
      'application.properties',
      '# c\nspring.datasource.url=jdbc:postgresql://h/db\nx: y\n',
      's',
    );
    expect(value(f, 'spring.datasource.url')).toBe('jdbc:postgresql://h/db');
    expect(value(f, 'x')).toBe('y');
  });

  it('drops password values but keeps placeholders', () => {
    const f = readConfigFile(
      'application.yaml',
      'identity:\n  client-secret: "s3cr3t-value"\nopensearch:\n  password: "${VALUES_OPENSEARCH_PASSWORD:}"\n',
      's',
    );
    expect(f.properties['identity.clientsecret']).toMatchObject({ redacted: true });
    expect(f.properties['identity.clientsecret']!.value).toBeUndefined();
    expect(value(f, 'opensearch.password')).toBe('${VALUES_OPENSEARCH_PASSWORD:}');
  });

  it('reports what it cannot read instead of throwing', () => {
    expect(readConfigFile('application.yaml', 'a: [', 's').problem).toMatch(/not valid YAML/);
    expect(
      readConfigFile('application.yaml', 'x'.repeat(50), 's', {
        limits: { maxChars: 10, maxEntries: 5, maxDepth: 5 },
      }).problem,
    ).toMatch(/characters/);
    const many = readConfigFile('application.yaml', 'a: 1\nb: 2\nc: 3\n', 's', {
      limits: { maxChars: 100, maxEntries: 2, maxDepth: 5 },
    });
    expect(Object.keys(many.properties)).toHaveLength(2);
    expect(many.problem).toMatch(/more than 2/);
  });
});
