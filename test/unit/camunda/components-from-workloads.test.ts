import { describe, expect, it } from 'vitest';
import type { CamundaComponent } from '../../../src/camunda/camunda-component.js';
import { componentsFromRelease } from '../../../src/camunda/components-from-values.js';
import { componentsFromWorkloads } from '../../../src/camunda/components-from-workloads.js';
import { diffComponents } from '../../../src/camunda/diff-components.js';
import { readDeployedRelease } from '../../../src/camunda/read-deployed-release.js';
import { type CamundaFixtureOptions, camundaFixture } from '../../harness/camunda/camunda-fixture.js';
import type { Line } from '../../harness/camunda/chart-defaults.js';

const CANARY = 'Workload-Canary-77aa88';

/** Facts without their sources: the two sources must agree on values, not on where they read them. */
function values(cs: readonly CamundaComponent[]): unknown {
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x && typeof x === 'object'
        ? 'source' in x && 'value' in x
          ? (x as { value: unknown }).value
          : Object.fromEntries(
              Object.entries(x)
                .filter(([k]) => k !== 'notes')
                .map(([k, v]) => [k, strip(v)]),
            )
        : x;
  return [...cs].sort((a, b) => a.id.localeCompare(b.id)).map(strip);
}

function both(line: Line, opts: CamundaFixtureOptions = {}) {
  const f = camundaFixture(line, opts);
  const r = readDeployedRelease(f.secrets);
  if (!r.ok) throw new Error(r.message);
  const release = componentsFromRelease(r.release);
  if (!release.ok) throw new Error(release.message);
  return { f, release: release.components, live: componentsFromWorkloads(f) };
}

describe('componentsFromWorkloads', () => {
  it.each<Line>([
    '8.7',
    '8.8',
    '8.9',
    '8.10',
  ])('%s: the live workloads give the same model as the Helm release', (line) => {
    const { release, live } = both(line, { newerRevision: 'failed' });
    expect(live.line?.value).toBe(line);
    expect(live.unrecognized).toEqual([]);
    expect(values(live.components)).toEqual(values(release));
    expect(diffComponents(release, live.components)).toEqual([]);
    expect(live.components.flatMap((c) => c.notes)).toEqual([]);
  });

  it.each<Line>([
    '8.7',
    '8.8',
    '8.10',
  ])('%s: same model with overrides and derived ServiceAccount names', (line) => {
    const { release, live } = both(line, {
      releaseName: 'prod-identity',
      explicitServiceAccounts: false,
      fullnameOverride: 'cp',
      componentOverrides: {
        zeebe: { nameOverride: 'broker' },
        orchestration: { fullnameOverride: 'core' },
        optimize: { nameOverride: 'opt' },
      },
    });
    expect(values(live.components)).toEqual(values(release));
    // The release name contains "identity", so Identity's fullname is the release name.
    expect(live.components.find((c) => c.id === 'identity')!.workload.name.value).toBe('prod-identity');
  });

  it('reads pods, ConfigMaps and ServiceAccounts with provenance', () => {
    const live = componentsFromWorkloads(camundaFixture('8.8'));
    const orchestration = live.components.find((c) => c.id === 'orchestration')!;
    expect(orchestration.serviceAccount).toEqual({
      value: 'orchestration-sa',
      source: 'StatefulSet/camunda-zeebe spec.template.spec.serviceAccountName',
    });
    expect(orchestration.roleArn?.source).toBe(
      'ServiceAccount/orchestration-sa annotation eks.amazonaws.com/role-arn',
    );
    expect(orchestration.opensearch[0]!.aws.source).toBe(
      'file:configmap:camunda-zeebe-configuration-unified/application.yaml#camunda.database.awsEnabled',
    );
    const identity = live.components.find((c) => c.id === 'identity')!.postgres[0]!;
    expect(identity.url?.source).toBe('env:SPRING_DATASOURCE_URL');
    expect(identity.user?.source).toBe('env:SPRING_DATASOURCE_USERNAME');
    const keycloak = live.components.find((c) => c.id === 'keycloak')!.postgres[0]!;
    expect(keycloak.host?.source).toBe('envFrom:configmap:camunda-keycloak-env-vars/KEYCLOAK_DATABASE_HOST');
  });

  it('works without any Helm release (helm template, Argo CD), from labels alone', () => {
    const f = camundaFixture('8.9', { helm: false });
    const live = componentsFromWorkloads(f);
    expect(live.line).toEqual({
      value: '8.9',
      source: expect.stringContaining('label:helm.sh/chart=camunda-platform-14.8.4'),
    });
    expect(live.components.map((c) => c.id).sort()).toEqual([
      'connectors',
      'identity',
      'keycloak',
      'optimize',
      'orchestration',
      'web-modeler-restapi',
      'web-modeler-websockets',
    ]);
  });

  it('reports what it sees when IAM is missing or the AWS switch is off', () => {
    const noIam = componentsFromWorkloads(camundaFixture('8.8', { noIam: 'identity' }));
    expect(noIam.components.find((c) => c.id === 'identity')!.postgres[0]).toMatchObject({
      iam: { value: false },
      url: { value: expect.stringMatching(/^jdbc:postgresql:/) },
    });
    // 8.7 leaves the switches out; 8.8 writes them as false.
    for (const line of ['8.7', '8.8'] as const) {
      const off = componentsFromWorkloads(camundaFixture(line, { opensearchAws: false }));
      const awsValues = off.components.flatMap((c) => c.opensearch.map((o) => o.aws.value));
      expect(awsValues.length).toBeGreaterThan(4);
      expect(awsValues.every((a) => a === false)).toBe(true);
    }
  });

  it('separates releases by instance label, and notes missing ServiceAccounts', () => {
    const a = camundaFixture('8.10');
    const b = camundaFixture('8.10', { releaseName: 'other' });
    const inv = {
      deployments: [...a.deployments, ...b.deployments],
      statefulSets: [...a.statefulSets, ...b.statefulSets],
      configMaps: [...a.configMaps, ...b.configMaps],
      serviceAccounts: a.serviceAccounts.filter((s) => s.metadata.name !== 'identity-sa'),
    };
    expect(componentsFromWorkloads(inv).instances).toEqual(['camunda', 'other']);
    const only = componentsFromWorkloads(inv, { releaseName: 'camunda' });
    expect(only.instances).toEqual(['camunda']);
    expect(only.components.find((c) => c.id === 'identity')!.notes).toContain(
      'ServiceAccount identity-sa was not found',
    );
  });

  it('lists Camunda-labelled workloads it cannot place, and ignores others', () => {
    const f = camundaFixture('8.8');
    const odd = structuredClone(f.deployments[0]!);
    odd.metadata.name = 'camunda-mystery';
    odd.metadata.labels['app.kubernetes.io/component'] = 'mystery';
    odd.spec.template.metadata.labels['app.kubernetes.io/component'] = 'mystery';
    odd.spec.template.spec.containers[0].name = 'mystery';
    const foreign = {
      metadata: { name: 'nginx', labels: { app: 'nginx' } },
      spec: { template: { spec: { containers: [{ name: 'nginx' }] } } },
    };
    const live = componentsFromWorkloads({ ...f, deployments: [...f.deployments, odd, foreign] });
    expect(live.unrecognized).toEqual(['Deployment/camunda-mystery']);
  });

  it('keeps no password anywhere in either model', () => {
    for (const line of ['8.7', '8.8', '8.9', '8.10'] as const) {
      const { release, live } = both(line, { canary: CANARY });
      expect(JSON.stringify([release, live]), line).not.toContain(CANARY);
      expect(diffComponents(release, live.components)).toEqual([]);
    }
  });
});
