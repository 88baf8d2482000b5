// The reads Camunda discovery and `run --workload` add to KubeClient, through its real HTTP client
// against the loopback API: Helm release Secrets by their labels first, one Secret's data at most,
// workloads and ConfigMaps read with their shapes checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, MAX_OBJECT_BYTES } from '../../../src/kube/kube-client.js';
import type { KubeError } from '../../../src/kube/kube-error.js';
import { camundaFixture } from '../../harness/camunda/camunda-fixture.js';
import { startKubeApi } from '../../harness/kube-api.js';
import type { Resource } from '../../harness/kube-api-store.js';
import { kubeConfigFor } from '../../support/kube-config.js';

const NS = 'camunda';
let dir: string;
const closers: Array<() => Promise<void>> = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-kube-camunda-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const RESOURCE: Record<string, Resource> = {
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ServiceAccount: 'serviceaccounts',
};

async function loopback(objects: Array<{ kind: string; metadata: { name: string } }> = []) {
  const api = await startKubeApi();
  closers.push(() => api.close());
  api.addNamespace(NS);
  for (const o of objects) {
    const r = RESOURCE[o.kind];
    if (r && !api.store.find(r, NS, o.metadata.name))
      api.store.create(r, { ...o, metadata: { ...o.metadata, namespace: NS } });
  }
  return { api, kube: new KubeClient(await kubeConfigFor(api.writeKubeconfig(dir))) };
}

async function failure(p: Promise<unknown>): Promise<KubeError> {
  try {
    await p;
  } catch (e) {
    return e as KubeError;
  }
  throw new Error('the call succeeded');
}

describe('Helm release Secrets', () => {
  it('are listed by label as metadata only: no revision data crosses the wire', async () => {
    const f = camundaFixture('8.8', { previousRevisions: 3 });
    const other = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-password', labels: { app: 'x' } },
      data: { password: Buffer.from('hunter2-canary').toString('base64') },
    };
    const { api, kube } = await loopback([...f.all, other]);
    const metas = await kube.listHelmReleaseSecrets(NS);
    expect(metas.map((m) => m.metadata.name).sort()).toEqual(f.secrets.map((s) => s.metadata.name).sort());
    expect(JSON.stringify(metas)).not.toContain('"data"');
    const call = api.requests.find((q) => q.resource === 'secrets');
    expect(call).toMatchObject({ verb: 'list', query: 'labelSelector=owner%3Dhelm' });
    expect(call?.accept).toContain('as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
  });

  it('with a release name the selector names it too', async () => {
    const f = camundaFixture('8.8');
    const { api, kube } = await loopback(f.all);
    expect((await kube.listHelmReleaseSecrets(NS, 'other')).length).toBe(0);
    expect(api.requests.at(-1)?.query).toBe('labelSelector=owner%3Dhelm%2Cname%3Dother');
  });

  it('only a Helm release Secret is read, and any other name is refused before a request', async () => {
    const f = camundaFixture('8.8');
    const { api, kube } = await loopback(f.all);
    const name = f.secrets[1]!.metadata.name;
    const secret = await kube.readHelmReleaseSecret(NS, name);
    expect(secret.data?.release?.length).toBeGreaterThan(1000);
    const before = api.requests.length;
    const err = await failure(kube.readHelmReleaseSecret(NS, 'db-password'));
    expect(err.message).toContain('is not a Helm release Secret');
    expect(api.requests.length).toBe(before);
  });

  it('ten revisions of a few MiB each stay under the cap, because only labels are listed', async () => {
    // Each revision's data is 3 MiB: listing them whole would be 30 MiB, past MAX_OBJECT_BYTES.
    const big = Buffer.alloc(3 * 1024 * 1024, 'a').toString('base64');
    const revisions = Array.from({ length: 10 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: {
        name: `sh.helm.release.v1.camunda.v${i + 1}`,
        labels: {
          owner: 'helm',
          name: 'camunda',
          status: i === 9 ? 'deployed' : 'superseded',
          version: `${i + 1}`,
        },
      },
      data: { release: big },
    }));
    expect(10 * big.length).toBeGreaterThan(MAX_OBJECT_BYTES);
    const { kube } = await loopback(revisions);
    const metas = await kube.listHelmReleaseSecrets(NS, 'camunda');
    expect(metas.length).toBe(10);
  });
});

describe('workloads and ConfigMaps', () => {
  it('lists Deployments and StatefulSets with their pod templates, and reads ConfigMaps by name', async () => {
    const f = camundaFixture('8.8');
    const { kube } = await loopback(f.all);
    const deployments = await kube.listDeployments(NS);
    const statefulSets = await kube.listStatefulSets(NS);
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(
      f.deployments.map((d) => d.metadata.name).sort(),
    );
    expect(statefulSets[0]?.spec?.template?.spec?.containers?.[0]?.name).toBe('orchestration');
    const cm = f.configMaps[0]!;
    expect((await kube.readConfigMap(NS, cm.metadata.name)).data).toEqual(cm.data);
    const sts = await kube.readWorkload('StatefulSet', NS, statefulSets[0]!.metadata!.name!);
    expect(sts.spec?.template?.spec?.serviceAccountName).toBe('orchestration-sa');
  });

  it('a pod template whose env is not a list is not a Deployment: not Kubernetes, with the path', async () => {
    const { kube } = await loopback([
      {
        kind: 'Deployment',
        metadata: { name: 'odd' },
        spec: { template: { spec: { containers: [{ name: 'app', env: 'PASSWORD=x' }] } } },
      } as { kind: string; metadata: { name: string } },
    ]);
    const err = await failure(kube.readWorkload('Deployment', NS, 'odd'));
    expect(err.notKubernetes).toBe(true);
    expect(err.message).toContain('spec.template.spec.containers[0].env is');
  });
});
