import { describe, expect, it } from 'vitest';
import type { AppConfig, ConfigValue } from '../../../src/camunda/app-config.js';
import { opensearchUses } from '../../../src/camunda/opensearch-uses.js';
import { readConfigFile } from '../../../src/camunda/read-config-file.js';

const v = (value: string, source = 'env'): ConfigValue => ({ value, source });
function config(env: Record<string, ConfigValue>, yaml = ''): AppConfig {
  return {
    env,
    commandLine: {},
    systemProperties: {},
    springFiles: yaml ? [readConfigFile('application.yaml', yaml, 'cm')] : [],
    otherFiles: [],
    notes: [],
  };
}
const OS = 'vpc-camunda-abc.eu-west-1.es.amazonaws.com';

describe('opensearchUses', () => {
  it('8.7 Operate: the webapp client has awsEnabled, zeebeOpensearch has no switch', () => {
    const uses = opensearchUses(
      'operate',
      config(
        {},
        `camunda.operate:\n  opensearch:\n    url: "https://${OS}:443"\n    awsEnabled: true\n  zeebeOpensearch:\n    url: "https://${OS}:443"\n`,
      ),
    );
    expect(uses.map((u) => [u.purpose, u.aws.value, u.aws.source])).toEqual([
      ['operate', true, 'file:cm#camunda.operate.opensearch.awsEnabled'],
      ['operate-zeebe', false, 'absent:camunda.operate.zeebeOpensearch.awsEnabled'],
    ]);
    expect(uses[0]).toMatchObject({
      host: { value: OS },
      port: { value: 443 },
      protocol: { value: 'https' },
    });
  });

  it('orchestration: secondary storage, clients without a URL fall back to it, env overrides files', () => {
    const uses = opensearchUses(
      'orchestration',
      config(
        { CAMUNDA_DATA_SECONDARYSTORAGE_OPENSEARCH_AWSENABLED: v('true', 'env:X') },
        `camunda:
  data:
    secondary-storage:
      type: "opensearch"
      opensearch:
        aws-enabled: false
        url: "https://${OS}"
  operate:
    opensearch:
      awsEnabled: true
zeebe:
  broker:
    exporters:
      camundaexporter:
        args:
          connect:
            type: "opensearch"
            awsEnabled: true
`,
      ),
    );
    expect(uses.map((u) => [u.purpose, u.aws.value, u.url?.source])).toEqual([
      ['secondary-storage', true, 'file:cm#camunda.data.secondary-storage.opensearch.url'],
      ['operate', true, 'file:cm#camunda.data.secondary-storage.opensearch.url'],
      ['camunda-exporter', true, 'file:cm#camunda.data.secondary-storage.opensearch.url'],
    ]);
    expect(uses[0]!.aws.source).toBe('env:X');
    expect(uses[0]!.port).toEqual({
      value: 443,
      source: 'file:cm#camunda.data.secondary-storage.opensearch.url (scheme default port)',
    });
  });

  it('reads an explicit false as off (8.8 renders awsEnabled: false)', () => {
    const [u] = opensearchUses(
      'orchestration',
      config(
        {},
        `camunda:\n  database:\n    awsEnabled: false\n  data:\n    secondary-storage:\n      type: opensearch\n      opensearch:\n        url: "https://${OS}:443"\n`,
      ),
    );
    expect(u!.aws).toEqual({ value: false, source: 'file:cm#camunda.database.awsEnabled' });
  });

  it('skips clients whose storage type is not OpenSearch', () => {
    const yaml =
      'camunda:\n  data:\n    secondary-storage:\n      type: elasticsearch\n      opensearch:\n        url: "https://x"\n';
    expect(opensearchUses('orchestration', config({}, yaml))).toEqual([]);
  });

  it('Optimize: CAMUNDA_OPTIMIZE_* env variables', () => {
    const [u] = opensearchUses(
      'optimize',
      config({
        CAMUNDA_OPTIMIZE_DATABASE: v('opensearch'),
        CAMUNDA_OPTIMIZE_OPENSEARCH_HOST: v(OS),
        CAMUNDA_OPTIMIZE_OPENSEARCH_HTTP_PORT: v('443'),
        CAMUNDA_OPTIMIZE_OPENSEARCH_SSL_ENABLED: v('true'),
        CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED: v('true'),
        OPTIMIZE_ELASTICSEARCH_HOST: v('camunda-elasticsearch'),
      }),
    );
    expect(u).toMatchObject({
      purpose: 'optimize',
      url: { value: `https://${OS}:443` },
      aws: { value: true },
      protocol: { value: 'https' },
    });
    const off = opensearchUses(
      'optimize',
      config({ CAMUNDA_OPTIMIZE_DATABASE: v('opensearch'), CAMUNDA_OPTIMIZE_OPENSEARCH_HOST: v(OS) }),
    )[0]!;
    expect(off.aws).toEqual({ value: false, source: 'absent:CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED' });
    expect(off.notes[0]).toMatch(/HTTP_PORT is not set/);
    expect(opensearchUses('optimize', config({ OPTIMIZE_ELASTICSEARCH_HOST: v('es') }))).toEqual([]);
    expect(
      opensearchUses(
        'optimize',
        config({ CAMUNDA_OPTIMIZE_DATABASE: v('elasticsearch'), CAMUNDA_OPTIMIZE_OPENSEARCH_HOST: v(OS) }),
      ),
    ).toEqual([]);
  });

  it('a switch from a Secret counts as off, with a note', () => {
    const [u] = opensearchUses(
      'zeebe-broker',
      config({
        ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_URL: v(`https://${OS}`),
        ZEEBE_BROKER_EXPORTERS_OPENSEARCH_ARGS_AWS_ENABLED: {
          source: 's',
          secretRef: { name: 'x', key: 'y' },
        },
      }),
    );
    expect(u).toMatchObject({ purpose: 'exporter', aws: { value: false } });
    expect(u!.notes[0]).toMatch(/Secret x key y/);
  });
});
