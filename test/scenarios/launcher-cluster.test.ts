// `irsa-doctor run` in clusters as they are: a service mesh that injects a sidecar which never exits,
// pod labels, annotations and priority for policy engines and meshes, and the Aurora CA bundle carried
// into the pod in a ConfigMap that lives and dies with the Job.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/report/types.js';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import type { KubeApi, RecordedRequest } from '../harness/kube-api.js';
import type { KubeObject } from '../harness/kube-api-store.js';
import { MESH_PROXY_IMAGES } from '../harness/kube-mesh.js';
import type { PodRuntime } from '../harness/kubelet.js';
import { eksPodRuntime } from '../harness/kubelet-eks.js';
import { type RdsStack, startRdsStack } from '../harness/rds-stack.js';
import { type LauncherClusterOptions, startLauncherCluster } from '../support/launcher-cluster.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';
import { type LauncherRun, runLauncher, startLauncher } from '../support/run-launcher.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const NS = 'camunda';
const SA = 'zeebe-sa';

let stack: EksStack;
let runtime: PodRuntime;
let dir: string;
const apis: KubeApi[] = [];

beforeAll(async () => {
  stack = await startEksStack({ namespace: NS, serviceAccount: SA });
  runtime = await eksPodRuntime(stack, CLI);
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-launcher-cluster-'));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
});

/** A cluster whose namespace enforces Pod Security "restricted", with the healthy ServiceAccount. */
function cluster(opts: LauncherClusterOptions = {}): Promise<{ api: KubeApi; kubeconfig: string }> {
  return startLauncherCluster({ stack, runtime, dir, apis }, NS, SA, opts);
}

function launch(kubeconfig: string, args: string[], env: Record<string, string> = {}): Promise<LauncherRun> {
  return runLauncher(args, { env: { KUBECONFIG: kubeconfig, HOME: dir, ...env } });
}

/** The agent's PG-LOGIN-OK in a launcher run's merged report (which must exist). */
function pgLogin(r: LauncherRun): Finding | undefined {
  return r.report!.checks.find((c) => c.id === 'postgres')?.findings.find((f) => f.code === 'PG-LOGIN-OK');
}

/** Every pod the run created, as the API server stored it (after admission), whenever it was seen. */
function recordPods(api: KubeApi): KubeObject[] {
  const seen: KubeObject[] = [];
  api.store.subscribe((type, resource, o) => {
    if (resource !== 'pods' || type === 'DELETED') return;
    const i = seen.findIndex((p) => p.metadata.uid === o.metadata.uid);
    if (i < 0) seen.push(o);
    else seen[i] = o;
  });
  return seen;
}

async function expectCleanedUp(api: KubeApi) {
  expect(api.jobs()).toEqual([]);
  await api.waitFor(() => api.pods().length === 0 && api.store.list('configmaps').length === 0);
}

function allowedByRbac(r: RecordedRequest): boolean {
  const rules = r.namespace
    ? rbacRules('rbac.yaml', 'Role', 'irsa-doctor-launcher')
    : rbacRules('rbac.yaml', 'ClusterRole', 'irsa-doctor-launcher-cluster');
  return rbacAllows(rules, r);
}

describe('run in a meshed namespace: the agent container ends the run, whatever the sidecar does', () => {
  for (const [mesh, nsLabels, nsAnnotations, proxy] of [
    ['istio', { 'istio-injection': 'enabled' }, undefined, 'istio-proxy'],
    ['linkerd', undefined, { 'linkerd.io/inject': 'enabled' }, 'linkerd-proxy'],
    ['istio-native', { 'istio-injection': 'enabled' }, undefined, 'istio-proxy'],
  ] as const) {
    it(`${mesh}: the report comes back with no LAUNCH-DEADLINE, and the Job with its sidecar is deleted`, async () => {
      const { api, kubeconfig } = await cluster({
        mesh,
        ...(nsLabels ? { nsLabels } : {}),
        ...(nsAnnotations ? { nsAnnotations } : {}),
      });
      const pods = recordPods(api);
      const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', '--timeout', '60']);
      // The mesh did inject its proxy, which never exits...
      const pod = pods[0]!;
      const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])] as KubeObject[];
      expect(all.map((c) => c.name)).toContain(proxy);
      const sidecar = [
        ...(pod.status.containerStatuses ?? []),
        ...(pod.status.initContainerStatuses ?? []),
      ].find((s: KubeObject) => s.name === proxy);
      expect(sidecar?.state?.running).toBeDefined();
      // ...and still the agent's report came back, long before the Job's deadline.
      expect(r.codes).not.toContain('LAUNCH-DEADLINE');
      expect(r.codes).toContain('LAUNCH-MUTATED');
      expect(r.report!.checks.length).toBeGreaterThan(1);
      expect(r.report!.context).toMatchObject({ mechanism: 'irsa', serviceAccount: SA });
      expect(r.report!.durationMs).toBeLessThan(30_000);
      expect(r.code).toBe(r.report!.verdict === 'fail' ? 1 : 0);
      await expectCleanedUp(api);
    }, 60_000);
  }

  it('--pod-annotation sidecar.istio.io/inject=false keeps the sidecar out; labels, priority and pull policy reach the Job', async () => {
    const { api, kubeconfig } = await cluster({ mesh: 'istio', nsLabels: { 'istio-injection': 'enabled' } });
    const pods = recordPods(api);
    const r = await launch(kubeconfig, [
      '-n',
      NS,
      '-s',
      SA,
      '-o',
      'json',
      '--keep',
      '--pod-annotation',
      'sidecar.istio.io/inject=false',
      '--pod-label',
      'cost-center=platform',
      '--priority-class',
      'low-priority',
      '--image-pull-policy',
      'Always',
    ]);
    expect(r.codes).toContain('LAUNCH-KEPT');
    const [job] = api.jobs(NS);
    expect(job?.metadata.labels).toMatchObject({
      'cost-center': 'platform',
      'app.kubernetes.io/managed-by': 'irsa-doctor',
    });
    const pod = pods[0]!;
    expect(pod.metadata.labels).toMatchObject({ 'cost-center': 'platform' });
    expect(pod.metadata.annotations).toMatchObject({ 'sidecar.istio.io/inject': 'false' });
    expect(pod.spec.containers.map((c: KubeObject) => c.name)).toEqual(['agent']);
    expect(pod.spec.priorityClassName).toBe('low-priority');
    expect(pod.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(r.report!.checks.length).toBeGreaterThan(1);
  });

  it("a sidecar image that cannot be pulled: LAUNCH-IMAGE-PULL names the sidecar's image and container", async () => {
    const proxyImage = MESH_PROXY_IMAGES.istio;
    const { api, kubeconfig } = await cluster({
      mesh: 'istio',
      nsLabels: { 'istio-injection': 'enabled' },
      pullError: (image) =>
        image === proxyImage ? `failed to resolve reference "${image}": not found` : undefined,
    });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-IMAGE-PULL');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ image: proxyImage, container: 'istio-proxy' });
    expect(f?.message).toContain('not the agent');
    await expectCleanedUp(api);
  });
});

describe('run --postgres-ca: the Aurora CA bundle goes into the pod with the Job', () => {
  let rds: RdsStack;
  const agentFlags = () => [
    '--',
    '--only',
    'postgres-reachability,postgres',
    '--postgres',
    rds.frontDoor.endpoint,
    '--postgres-user',
    'zeebe',
    '--postgres-database',
    'camunda',
  ];
  /** `run -n camunda -s zeebe-sa -o json FLAGS -- AGENT_FLAGS`: the Aurora login, nothing else. */
  const launchWithAgent = (kubeconfig: string, ...flags: string[]): Promise<LauncherRun> =>
    launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', ...flags, ...agentFlags()]);

  beforeAll(async () => {
    const cert = await stack.ca.issue(['127.0.0.1', 'localhost']);
    rds = await startRdsStack({ iam: stack.iam, tls: cert, region: stack.region });
    stack.allow('rds-db:connect', rds.policyResource('*'));
  });
  afterAll(async () => {
    await rds?.close();
  });

  it('--postgres-ca FILE: a ConfigMap owned by the Job carries it, the agent verifies TLS with it (verify-full), both are deleted', async () => {
    const { api, kubeconfig } = await cluster();
    const made: KubeObject[] = [];
    const jobUids: string[] = [];
    api.store.subscribe((type, resource, o) => {
      if (resource === 'configmaps' && type === 'ADDED') made.push(o);
      if (resource === 'jobs' && type === 'ADDED') jobUids.push(o.metadata.uid!);
    });
    const r = await launchWithAgent(kubeconfig, '--postgres-ca', stack.ca.caFile);
    const login = pgLogin(r);
    expect(login?.details).toMatchObject({ tls: 'verify-full', currentUser: 'zeebe' });
    const created = r.finding('LAUNCH-JOB-CREATED');
    const job = created?.details?.job as string;
    expect(created?.details?.configMap).toBe(job);
    expect(created?.message).toContain(stack.ca.caFile);
    // Owned by the Job (the garbage collector's safety net), holding the bundle under the mounted key.
    expect(made).toHaveLength(1);
    const jobUid = jobUids[0];
    expect(made[0]!.metadata).toMatchObject({ name: job, namespace: NS });
    expect(made[0]!.metadata.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name: job, uid: jobUid, blockOwnerDeletion: false },
    ]);
    expect(made[0]!.data['ca.crt']).toContain('-----BEGIN CERTIFICATE-----');
    expect(r.finding('LAUNCH-JOB-DELETED')?.details).toMatchObject({
      configMap: job,
      configMapDeleted: true,
    });
    expect(r.code).toBe(r.report!.verdict === 'fail' ? 1 : 0);
    await expectCleanedUp(api);
    expect(api.requests.filter((q) => !allowedByRbac(q)).map((q) => `${q.verb} ${q.resource}`)).toEqual([]);
  }, 60_000);

  it('without --postgres-ca the same login is only encrypted: the bundle is what made it verify-full', async () => {
    const { kubeconfig } = await cluster();
    const r = await launchWithAgent(kubeconfig);
    const login = pgLogin(r);
    expect(login?.details?.tls).not.toBe('verify-full');
  }, 60_000);

  it('SIGINT while the pod starts: the Job and its ConfigMap are both deleted', async () => {
    const { api, kubeconfig } = await cluster({ pullDelayMs: 600_000 });
    const { child, done } = startLauncher(
      ['-n', NS, '-s', SA, '-o', 'json', '--postgres-ca', stack.ca.caFile, ...agentFlags()],
      {
        env: { KUBECONFIG: kubeconfig, HOME: dir },
      },
    );
    await api.waitFor(() => api.store.list('configmaps', NS).length === 1 && api.pods(NS).length === 1);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.finding('LAUNCH-INTERRUPTED')?.status).toBe('fail');
    expect(r.finding('LAUNCH-JOB-DELETED')?.details).toMatchObject({ configMapDeleted: true });
    // Deleted by the launcher, or already by the garbage collector, which follows the owner reference.
    const deletes = api.requests.filter((q) => q.verb === 'delete' && q.resource === 'configmaps');
    expect(deletes).toHaveLength(1);
    expect([200, 404]).toContain(deletes[0]!.status);
    await expectCleanedUp(api);
  });

  it('RBAC without configmaps create: LAUNCH-FORBIDDEN, the Job is deleted again, the agent never runs', async () => {
    const { api, kubeconfig } = await cluster();
    api.forbid({ verb: 'create', resource: 'configmaps' });
    const r = await launchWithAgent(kubeconfig, '--postgres-ca', stack.ca.caFile);
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-FORBIDDEN')?.message).toContain('cannot create resource "configmaps"');
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expect(r.codes).toContain('LAUNCH-AGENT-NOT-RUN');
    await expectCleanedUp(api);
  });

  it('a file that is no CA bundle is a usage error before anything is sent', async () => {
    const { api, kubeconfig } = await cluster();
    const notPem = join(dir, 'not-a-bundle.txt');
    writeFileSync(notPem, 'hello');
    const bad = await runLauncher(['-n', NS, '-s', SA, '--postgres-ca', notPem, ...agentFlags()], {
      env: { KUBECONFIG: kubeconfig, HOME: dir },
      report: false,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('holds no PEM certificate');
    const missing = await runLauncher(
      ['-n', NS, '-s', SA, '--postgres-ca', join(dir, 'nope.pem'), ...agentFlags()],
      {
        env: { KUBECONFIG: kubeconfig, HOME: dir },
        report: false,
      },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    expect(api.requests).toEqual([]);
  });

  it('--dry-run with --postgres-ca prints the ConfigMap and the Job as one List', async () => {
    const r = await runLauncher(
      ['-n', NS, '-s', SA, '--dry-run', '-o', 'json', '--postgres-ca', stack.ca.caFile, ...agentFlags()],
      {
        env: { HOME: dir },
        report: false,
      },
    );
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((i: KubeObject) => i.kind)).toEqual(['ConfigMap', 'Job']);
    const [cm, job] = list.items;
    expect(cm.metadata.name).toBe(job.metadata.name);
    expect(job.spec.template.spec.volumes).toContainEqual({
      name: 'postgres-ca',
      configMap: { name: job.metadata.name, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
  });

  it('--postgres-ca-configmap NAME/KEY: an existing ConfigMap is checked, then mounted', async () => {
    const { api, kubeconfig } = await cluster();
    api.store.create('configmaps', {
      metadata: { name: 'rds-ca', namespace: NS },
      data: { 'global-bundle.pem': stack.ca.caCertPem },
    });
    const r = await launchWithAgent(kubeconfig, '--postgres-ca-configmap', 'rds-ca/global-bundle.pem');
    expect(r.finding('LAUNCH-CA-CONFIGMAP')?.status).toBe('pass');
    const login = pgLogin(r);
    expect(login?.details?.tls).toBe('verify-full');
    // Not the launcher's to delete.
    expect(api.store.list('configmaps', NS).map((c) => c.metadata.name)).toEqual(['rds-ca']);
    expect(api.requests.filter((q) => !allowedByRbac(q)).map((q) => `${q.verb} ${q.resource}`)).toEqual([]);
  }, 60_000);

  it('--postgres-ca-configmap naming a missing ConfigMap or key: LAUNCH-CA-CONFIGMAP-MISSING, no Job', async () => {
    const { api, kubeconfig } = await cluster();
    api.store.create('configmaps', {
      metadata: { name: 'rds-ca', namespace: NS },
      data: { 'bundle.pem': 'x' },
    });
    const noMap = await launchWithAgent(kubeconfig, '--postgres-ca-configmap', 'rds-bundle');
    expect(noMap.code).toBe(1);
    expect(noMap.finding('LAUNCH-CA-CONFIGMAP-MISSING')?.remediation).toContain(
      'kubectl create configmap -n camunda rds-bundle',
    );
    const noKey = await launchWithAgent(kubeconfig, '--postgres-ca-configmap', 'rds-ca');
    expect(noKey.finding('LAUNCH-CA-CONFIGMAP-MISSING')?.details).toMatchObject({
      key: 'ca.crt',
      keys: ['bundle.pem'],
    });
    expect(noKey.finding('LAUNCH-CA-CONFIGMAP-MISSING')?.remediation).toContain(
      '--postgres-ca-configmap rds-ca/KEY (keys: bundle.pem)',
    );
    expect(api.requests.some((q) => q.verb === 'create')).toBe(false);
  });

  it('--postgres-ca-configmap that RBAC hides: LAUNCH-CA-CONFIGMAP skip, the Job mounts it anyway', async () => {
    const { api, kubeconfig } = await cluster();
    api.forbid({ verb: 'get', resource: 'configmaps' });
    api.store.create('configmaps', {
      metadata: { name: 'rds-ca', namespace: NS },
      data: { 'ca.crt': stack.ca.caCertPem },
    });
    const r = await launchWithAgent(kubeconfig, '--postgres-ca-configmap', 'rds-ca');
    expect(r.finding('LAUNCH-CA-CONFIGMAP')?.status).toBe('skip');
    const login = pgLogin(r);
    expect(login?.details?.tls).toBe('verify-full');
  }, 60_000);
});
