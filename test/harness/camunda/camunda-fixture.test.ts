import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeApi, startKubeApi } from '../kube-api.js';
import type { Resource } from '../kube-api-store.js';
import { camundaFixture } from './camunda-fixture.js';
import type { Line } from './chart-defaults.js';
import type { K8sObject } from './render-support.js';

const CANARY = 'Fixture-Canary-9f8e7d';

/** What Helm's decodeRelease does, written out here so the fixture is checked by itself. */
function helmDecode(secret: K8sObject): Record<string, unknown> {
  const helmString = Buffer.from(secret.data.release, 'base64').toString('latin1');
  const bytes = Buffer.from(helmString, 'base64');
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
  return JSON.parse((gz ? gunzipSync(bytes) : bytes).toString('utf8'));
}

describe('release Secrets', () => {
  it('are stored as Helm stores them: labels, type, name, base64(gzip(JSON)) under the API base64', () => {
    const f = camundaFixture('8.8', { newerRevision: 'failed', previousRevisions: 2 });
    expect(
      f.secrets.map((s) => [s.metadata.name, s.metadata.labels.status, s.metadata.labels.version]),
    ).toEqual([
      ['sh.helm.release.v1.camunda.v1', 'superseded', '1'],
      ['sh.helm.release.v1.camunda.v2', 'superseded', '2'],
      ['sh.helm.release.v1.camunda.v3', 'deployed', '3'],
      ['sh.helm.release.v1.camunda.v4', 'failed', '4'],
    ]);
    for (const s of f.secrets) {
      expect(s.type).toBe('helm.sh/release.v1');
      expect(s.metadata.labels).toMatchObject({ owner: 'helm', name: 'camunda' });
    }
    const deployed = helmDecode(f.secrets[2]!);
    expect(deployed).toMatchObject({
      name: 'camunda',
      namespace: 'camunda',
      version: 3,
      info: { status: 'deployed' },
      chart: { metadata: { name: 'camunda-platform', version: '13.12.7', appVersion: '8.8.x' } },
    });
    expect((deployed.config as Record<string, unknown>).orchestration).toBeDefined();
    expect(String(deployed.manifest)).toContain('kind: StatefulSet');
  });

  it('can be stored uncompressed, as releases written before Helm gzipped them', () => {
    const [s] = camundaFixture('8.7', { gzip: false, previousRevisions: 0 }).secrets;
    const inner = Buffer.from(Buffer.from(s!.data.release, 'base64').toString('latin1'), 'base64');
    expect(inner.subarray(0, 1).toString()).toBe('{');
    expect(helmDecode(s!)).toMatchObject({ version: 1, info: { status: 'deployed' } });
  });

  it('are absent for helm template / Argo CD installs', () => {
    expect(camundaFixture('8.10', { helm: false }).secrets).toEqual([]);
  });
});

describe('rendered workloads', () => {
  it.each<Line>([
    '8.7',
    '8.8',
    '8.9',
    '8.10',
  ])('%s: every referenced ConfigMap and ServiceAccount is rendered', (line) => {
    const f = camundaFixture(line);
    const cms = new Set(f.configMaps.map((c) => c.metadata.name));
    const sas = new Set(f.serviceAccounts.map((s) => s.metadata.name));
    for (const w of [...f.deployments, ...f.statefulSets]) {
      const spec = w.spec.template.spec;
      for (const v of spec.volumes ?? [])
        if (v.configMap) expect(cms, `${w.metadata.name} ${v.configMap.name}`).toContain(v.configMap.name);
      for (const from of spec.containers[0].envFrom ?? []) expect(cms).toContain(from.configMapRef.name);
      expect(sas, `${w.metadata.name}`).toContain(spec.serviceAccountName);
    }
  });

  it('puts the canary where the chart renders passwords in plain text', () => {
    const f = camundaFixture('8.8', { canary: CANARY });
    const identity = f.deployments.find((d) => d.metadata.name === 'camunda-identity')!;
    expect(identity.spec.template.spec.containers[0].env).toContainEqual({
      name: 'VALUES_IDENTITY_FIRSTUSER_PASSWORD',
      value: CANARY,
    });
    expect(JSON.stringify(f.statefulSets)).toContain(CANARY);
  });

  it('renders drift: pods from other values than the release records', () => {
    const f = camundaFixture('8.7', { liveValues: { identity: { serviceAccount: { name: 'edited-sa' } } } });
    const identity = f.deployments.find((d) => d.metadata.name === 'camunda-identity')!;
    expect(identity.spec.template.spec.serviceAccountName).toBe('edited-sa');
    expect(JSON.stringify(f.userValues)).not.toContain('edited-sa');
  });
});

describe('served by the loopback Kubernetes API', () => {
  let api: KubeApi;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'camunda-fixture-'));
    api = await startKubeApi();
    api.addNamespace('camunda');
    const f = camundaFixture('8.9', { newerRevision: 'pending-upgrade' });
    const resource: Record<string, Resource> = {
      Secret: 'secrets',
      ConfigMap: 'configmaps',
      Deployment: 'deployments',
      StatefulSet: 'statefulsets',
      ServiceAccount: 'serviceaccounts',
    };
    for (const o of f.all) api.store.create(resource[o.kind]!, o as never);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists release Secrets by label and the workloads and ConfigMaps', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(api.writeKubeconfig(dir));
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const secrets = await core.listNamespacedSecret({
      namespace: 'camunda',
      labelSelector: 'owner=helm,name=camunda',
    });
    expect(secrets.items.map((s) => s.metadata?.labels?.status)).toEqual([
      'superseded',
      'deployed',
      'pending-upgrade',
    ]);
    const sts = await apps.listNamespacedStatefulSet({ namespace: 'camunda' });
    expect(sts.items.map((s) => s.metadata?.name).sort()).toEqual(['camunda-keycloak', 'camunda-zeebe']);
    const deps = await apps.listNamespacedDeployment({
      namespace: 'camunda',
      labelSelector: 'app.kubernetes.io/instance=camunda',
    });
    expect(deps.items.map((d) => d.metadata?.name)).toContain('camunda-web-modeler-restapi');
    const cm = await core.readNamespacedConfigMap({
      namespace: 'camunda',
      name: 'camunda-zeebe-configuration',
    });
    expect(cm.data?.['application.yaml']).toContain('secondary-storage:');
  });
});
