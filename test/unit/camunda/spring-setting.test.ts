// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring ${placeholders} are what these tests are about.
import { describe, expect, it } from 'vitest';
import type { AppConfig, ConfigValue } from '../../../src/camunda/app-config.js';
import { readConfigFile } from '../../../src/camunda/read-config-file.js';
import { springSetting } from '../../../src/camunda/spring-setting.js';

function config(parts: Partial<AppConfig> & { yaml?: string[] }): AppConfig {
  return {
    env: {},
    commandLine: {},
    systemProperties: {},
    otherFiles: [],
    notes: [],
    springFiles: (parts.yaml ?? []).map((t, i) => readConfigFile('application.yaml', t, `f${i}`)),
    ...parts,
  };
}
const env = (value: string): ConfigValue => ({ value, source: 'env' });

describe('springSetting', () => {
  it('ranks arguments over system properties over env over later files over application.yaml', () => {
    const yaml = ['spring:\n  datasource:\n    url: file0\n', 'spring.datasource.url: file1\n'];
    const key = 'spring.datasource.url';
    expect(springSetting(config({ yaml }), key)).toMatchObject({ value: 'file1', origin: 'file' });
    const withEnv = config({ yaml, env: { SPRING_DATASOURCE_URL: env('env') } });
    expect(springSetting(withEnv, key)).toMatchObject({ value: 'env', origin: 'env' });
    const withSys = { ...withEnv, systemProperties: { [key]: { key, value: 'sys', source: 'jto' } } };
    expect(springSetting(withSys, key)).toMatchObject({ value: 'sys', origin: 'system-property' });
    const withArg = { ...withSys, commandLine: { [key]: { key, value: 'arg', source: 'args' } } };
    expect(springSetting(withArg, key)).toMatchObject({ value: 'arg', origin: 'command-line' });
  });

  it('finds env variables in every relaxed spelling', () => {
    const key = 'spring.datasource.driver-class-name';
    for (const name of [
      'SPRING_DATASOURCE_DRIVER_CLASS_NAME',
      'SPRING_DATASOURCE_DRIVERCLASSNAME',
      'spring.datasource.driver-class-name',
    ]) {
      expect(springSetting(config({ env: { [name]: env('d') } }), key)?.value).toBe('d');
    }
    expect(
      springSetting(
        config({ env: { CAMUNDA_DATA_SECONDARYSTORAGE_OPENSEARCH_AWSENABLED: env('true') } }),
        'camunda.data.secondary-storage.opensearch.aws-enabled',
      )?.value,
    ).toBe('true');
  });

  it('resolves placeholders against env and properties, with defaults and nesting', () => {
    const c = config({
      env: {
        DB_HOST: env('aurora'),
        PW: { source: 'env:PW <- secret:s/k', secretRef: { name: 's', key: 'k' } },
      },
      yaml: [
        'url: "jdbc:postgresql://${DB_HOST}:${DB_PORT:5432}/${db.name:${FALLBACK:camunda}}"\npw: "${PW}"\nmissing: "${NOPE}"\n',
      ],
    });
    expect(springSetting(c, 'url')?.value).toBe('jdbc:postgresql://aurora:5432/camunda');
    expect(springSetting(c, 'url')?.source).toContain('env');
    expect(springSetting(c, 'pw')).toMatchObject({ secretRef: { name: 's', key: 'k' } });
    expect(springSetting(c, 'pw')?.value).toBeUndefined();
    expect(springSetting(c, 'missing')).toMatchObject({ unresolved: '${NOPE} is not set' });
  });

  it('stops at self-referencing placeholders', () => {
    const c = config({ yaml: ['a: "${b}"\nb: "${a}"\n'] });
    expect(springSetting(c, 'a')?.unresolved).toMatch(/too deep/);
  });

  it('is undefined when nothing sets the property', () => {
    expect(springSetting(config({}), 'spring.datasource.url')).toBeUndefined();
  });
});
