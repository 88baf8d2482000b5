import { describe, expect, it } from 'vitest';
import type { ConfigMapLike, PodSpecLike } from '../../../src/camunda/kube-objects.js';
import { resolveContainerConfig } from '../../../src/camunda/resolve-container-config.js';
import { springSetting } from '../../../src/camunda/spring-setting.js';
import { camundaFixture } from '../../harness/camunda/camunda-fixture.js';

const CANARY = 'Resolve-Canary-1a2b3c';
const cm = (name: string, data: Record<string, string>): ConfigMapLike => ({ metadata: { name }, data });

function resolved(spec: PodSpecLike, configMaps: ConfigMapLike[] = []) {
  const r = resolveContainerConfig(spec, { configMaps });
  if (!r.ok) throw new Error(r.problem);
  return r.config;
}

describe('resolveContainerConfig', () => {
  it('builds the environment as the kubelet does: envFrom first, env over it, last duplicate wins', () => {
    const c = resolved(
      {
        containers: [
          {
            name: 'app',
            envFrom: [
              { configMapRef: { name: 'a' } },
              { configMapRef: { name: 'b' }, prefix: 'P_' },
              { secretRef: { name: 's' } },
            ],
            env: [
              { name: 'X', value: 'env' },
              { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'a', key: 'K' } } },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'pw' } } },
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'REF', value: '$(X)-$(K)-$$(X)-$(UNSET)' },
              { name: 'X', value: 'last' },
            ],
          },
        ],
      },
      [cm('a', { X: 'cm', K: 'k1', 'bad key': 'skip' }), cm('b', { X: 'prefixed' })],
    );
    expect(c.env.X).toEqual({ source: 'env:X', value: 'last' });
    expect(c.env.K).toEqual({ source: 'envFrom:configmap:a/K', value: 'k1' });
    expect(c.env.P_X?.value).toBe('prefixed');
    expect(c.env['bad key']).toBeUndefined();
    expect(c.env.FROM_CM).toEqual({ source: 'env:FROM_CM <- configmap:a/K', value: 'k1' });
    expect(c.env.FROM_SECRET).toEqual({
      source: 'env:FROM_SECRET <- secret:creds/pw',
      secretRef: { name: 'creds', key: 'pw' },
    });
    expect(c.env.POD?.unresolved).toMatch(/metadata.name/);
    expect(c.env.REF?.value).toBe('env-k1-$(X)-$(UNSET)');
    expect(c.notes).toEqual([expect.stringMatching(/envFrom Secret s/)]);
  });

  it('notes ConfigMaps that do not exist instead of failing', () => {
    const c = resolved({
      containers: [
        {
          name: 'app',
          envFrom: [{ configMapRef: { name: 'gone' } }],
          env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }],
          volumeMounts: [
            { name: 'config', mountPath: '/app/config/application.yaml', subPath: 'application.yaml' },
          ],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'gone-too' } }],
    });
    expect(c.env.A?.unresolved).toMatch(/not found/);
    expect(c.notes.join('\n')).toMatch(/gone was not found[\s\S]*gone-too mounted at/);
  });

  it('reads mounted application.yaml, profile files, imports, -D options and --args', () => {
    const c = resolved(
      {
        containers: [
          {
            name: 'app',
            args: ['--spring.datasource.username=from-args', 'not-a-property'],
            env: [
              { name: 'SPRING_PROFILES_ACTIVE', value: 'aws' },
              { name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g -Dcamunda.x="quoted value" -Dy=z' },
            ],
            volumeMounts: [
              {
                name: 'config',
                mountPath: '/usr/local/camunda/config/application.yaml',
                subPath: 'application.yaml',
              },
              { name: 'config', mountPath: '/usr/local/camunda/config/aws.yaml', subPath: 'aws.yaml' },
              { name: 'all', mountPath: '/usr/local/camunda/config/' },
              {
                name: 'other',
                mountPath: '/optimize/config/environment-config.yaml',
                subPath: 'environment-config.yaml',
              },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'cfg' } },
          {
            name: 'all',
            projected: {
              sources: [{ configMap: { name: 'prof', items: [{ key: 'p', path: 'application-aws.yaml' }] } }],
            },
          },
          { name: 'other', configMap: { name: 'opt' } },
        ],
      },
      [
        cm('cfg', {
          'application.yaml':
            'a: base\nb: base\nc: base\nspring.config.import: optional:file:/usr/local/camunda/config/aws.yaml\n',
          'aws.yaml': 'b: imported\nc: imported\n',
        }),
        cm('prof', { p: 'c: profile\n' }),
        cm('opt', { 'environment-config.yaml': 'es:\n  connection:\n    nodes:\n      - host: x\n' }),
      ],
    );
    expect(c.springFiles.map((f) => f.name)).toEqual([
      'application.yaml',
      'aws.yaml',
      'application-aws.yaml',
    ]);
    expect(springSetting(c, 'a')?.value).toBe('base');
    expect(springSetting(c, 'b')?.value).toBe('imported');
    expect(springSetting(c, 'c')?.value).toBe('profile');
    expect(c.otherFiles.map((f) => f.name)).toEqual(['environment-config.yaml']);
    expect(c.systemProperties['camunda.x']).toMatchObject({ value: 'quoted value' });
    expect(springSetting(c, 'spring.datasource.username')).toMatchObject({
      value: 'from-args',
      origin: 'command-line',
    });
  });

  it('on a fixture pod: Identity sees the env URL, not the application.yaml one the chart rendered', () => {
    const f = camundaFixture('8.7');
    const identity = f.deployments.find((d) => d.metadata.name === 'camunda-identity')!;
    const r = resolveContainerConfig(identity.spec.template.spec, {
      configMaps: f.configMaps,
      containerName: 'camunda-platform',
    });
    if (!r.ok) throw new Error(r.problem);
    const file = r.config.springFiles[0]!.properties['spring.datasource.url'];
    expect(file?.value).toMatch(/^jdbc:postgresql:\/\//);
    expect(springSetting(r.config, 'spring.datasource.url')).toMatchObject({
      origin: 'env',
      value: expect.stringMatching(/^jdbc:aws-wrapper:postgresql:\/\/.*wrapperPlugins=iam$/),
    });
  });

  it('never keeps a password literal from env, ConfigMaps or Java options', () => {
    const f = camundaFixture('8.8', { canary: CANARY });
    for (const w of [...f.deployments, ...f.statefulSets]) {
      const r = resolveContainerConfig(w.spec.template.spec, { configMaps: f.configMaps });
      expect(JSON.stringify(r), w.metadata.name).not.toContain(CANARY);
    }
    const c = resolved({
      containers: [
        { name: 'a', env: [{ name: 'JAVA_TOOL_OPTIONS', value: `-Dspring.datasource.password=${CANARY}` }] },
      ],
    });
    expect(JSON.stringify(c)).not.toContain(CANARY);
  });

  it('fails as a value when the container does not exist', () => {
    expect(
      resolveContainerConfig({ containers: [{ name: 'a' }] }, { configMaps: [], containerName: 'b' }),
    ).toEqual({
      ok: false,
      problem: 'no container named b',
    });
    expect(resolveContainerConfig(undefined, { configMaps: [] }).ok).toBe(false);
  });
});
