import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, type V1Job } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KubeApi, startKubeApi } from './kube-api.js';
import type { KubeletOptions } from './kubelet.js';
import { createTestCa, type TestCa } from './tls-ca.js';

let ca: TestCa;
let dir: string;
const apis: KubeApi[] = [];
beforeAll(async () => {
  ca = await createTestCa();
  dir = mkdtempSync(join(tmpdir(), 'kube-api-test-'));
});
afterAll(() => {
  ca?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
});

/** The "image": prints what the container sees, reads the projected token through its env path. */
const runtime: KubeletOptions['runtime'] = {
  entrypoint: [
    process.execPath,
    '-e',
    "const f=process.env.AWS_WEB_IDENTITY_TOKEN_FILE;console.log(JSON.stringify({role:process.env.AWS_ROLE_ARN,region:process.env.AWS_REGION,host:process.env.HOSTNAME,token:f?require('fs').readFileSync(f,'utf8'):null,args:process.argv.slice(1)}))",
  ],
  nodeEnv: {},
  mintToken: async (r) =>
    `token:${r.namespace}/${r.serviceAccount}:${r.audience.join(',')}:${r.expiresInSeconds}`,
};

async function start(opts: Parameters<typeof startKubeApi>[0] = {}) {
  const api = await startKubeApi({ ca, kubelet: { runtime }, ...opts });
  apis.push(api);
  api.addNamespace('team', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  api.addServiceAccount('team', 'app', {
    'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app',
  });
  const kc = new KubeConfig();
  kc.loadFromFile(api.writeKubeconfig(dir));
  return { api, core: kc.makeApiClient(CoreV1Api), batch: kc.makeApiClient(BatchV1Api) };
}

const compliant = (name: string, extra: Record<string, unknown> = {}): V1Job =>
  ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          serviceAccountName: 'app',
          restartPolicy: 'Never',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'c',
              image: 'example/agent:1',
              args: ['hello'],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          ...extra,
        },
      },
    },
  }) as V1Job;

async function statusOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException)
      return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
    throw e;
  }
  throw new Error('expected an API error');
}

describe('kube-api emulator', () => {
  it('refuses requests without the bearer token (401 Status)', async () => {
    const { api } = await start();
    const kc = new KubeConfig();
    kc.loadFromFile(api.writeKubeconfig(dir));
    kc.users[0] = { name: 'tester', token: 'wrong' };
    const s = await statusOf(kc.makeApiClient(CoreV1Api).readNamespace({ name: 'team' }));
    expect(s.code).toBe(401);
  });

  it('answers with apiserver Status texts: 403, 404, 409, 422', async () => {
    const { api, core, batch } = await start({ user: 'system:serviceaccount:ops:ci' });
    api.forbid({ verb: 'create', resource: 'jobs' });
    expect(await statusOf(batch.createNamespacedJob({ namespace: 'team', body: compliant('j1') }))).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'jobs.batch is forbidden: User "system:serviceaccount:ops:ci" cannot create resource "jobs" in API group "batch" in the namespace "team"',
        reason: 'Forbidden',
        details: { group: 'batch', kind: 'jobs' },
        code: 403,
      },
    });
    expect((await statusOf(core.readNamespace({ name: 'nope' }))).body.message).toBe(
      'namespaces "nope" not found',
    );
    expect((await statusOf(batch.readNamespacedJob({ namespace: 'team', name: 'x' }))).body.message).toBe(
      'jobs.batch "x" not found',
    );
    api.forbid({ verb: 'get', resource: 'pods/log', namespace: 'team' });
    expect((await statusOf(core.readNamespacedPodLog({ namespace: 'team', name: 'p' }))).body.message).toBe(
      'pods "p" is forbidden: User "system:serviceaccount:ops:ci" cannot get resource "pods/log" in API group "" in the namespace "team"',
    );
  });

  it('validates Jobs (422 with causes) and refuses duplicates (409)', async () => {
    const { batch } = await start();
    const bad = compliant('j2');
    bad.spec!.template.spec!.restartPolicy = 'Always';
    const s = await statusOf(batch.createNamespacedJob({ namespace: 'team', body: bad }));
    expect(s.code).toBe(422);
    expect(s.body.reason).toBe('Invalid');
    expect(s.body.message).toBe(
      'Job.batch "j2" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
    await batch.createNamespacedJob({ namespace: 'team', body: compliant('j3') });
    const dup = await statusOf(batch.createNamespacedJob({ namespace: 'team', body: compliant('j3') }));
    expect(dup).toMatchObject({
      code: 409,
      body: { reason: 'AlreadyExists', message: 'jobs.batch "j3" already exists' },
    });
  });

  it('runs the pod: webhook env, projected token at the mounted path, log, Complete condition', async () => {
    const { api, core, batch } = await start();
    await batch.createNamespacedJob({ namespace: 'team', body: compliant('run1') });
    await api.waitFor(() =>
      api.jobs('team')[0]?.status?.conditions?.some((c: { type: string }) => c.type === 'Complete'),
    );
    const pods = (await core.listNamespacedPod({ namespace: 'team', labelSelector: 'job-name=run1' })).items;
    expect(pods).toHaveLength(1);
    const pod = pods[0]!;
    expect(pod.metadata?.name).toMatch(/^run1-[a-z0-9]{5}$/);
    expect(pod.status?.phase).toBe('Succeeded');
    const env = Object.fromEntries((pod.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toEqual({
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
      AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/app',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    });
    expect(
      pod.spec?.volumes?.find((v) => v.name === 'aws-iam-token')?.projected?.sources?.[0]
        ?.serviceAccountToken,
    ).toEqual({
      audience: 'sts.amazonaws.com',
      expirationSeconds: 86400,
      path: 'token',
    });
    const log = JSON.parse(
      await core.readNamespacedPodLog({ namespace: 'team', name: pod.metadata!.name!, container: 'c' }),
    );
    expect(log).toEqual({
      role: 'arn:aws:iam::111122223333:role/app',
      region: 'eu-west-1',
      host: pod.metadata!.name,
      token: 'token:team/app:sts.amazonaws.com:86400',
      args: ['hello'],
    });
    const events = (
      await core.listNamespacedEvent({
        namespace: 'team',
        fieldSelector: `involvedObject.name=${pod.metadata!.name}`,
      })
    ).items;
    expect(events.map((e) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('a mesh injects its proxy, which never exits: the agent terminates, the pod stays Running, the Job active', async () => {
    const { api, core, batch } = await start({ mesh: 'istio' });
    api.addNamespace('meshed', {
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    api.addServiceAccount('meshed', 'app');
    await batch.createNamespacedJob({ namespace: 'meshed', body: compliant('m1') });
    await api.waitFor(() =>
      api
        .pods('meshed')
        .some((p) =>
          p.status?.containerStatuses?.some(
            (c: { name: string; state?: { terminated?: unknown } }) => c.name === 'c' && c.state?.terminated,
          ),
        ),
    );
    const [pod] = api.pods('meshed');
    expect(pod!.spec.containers.map((c: { name: string }) => c.name)).toEqual(['c', 'istio-proxy']);
    expect(pod!.status.phase).toBe('Running');
    expect(api.jobs('meshed')[0]!.status.conditions).toBeUndefined();
    // The proxy is a process of its own: under load the agent may finish before it has printed a line.
    const proxyLog = async () =>
      String(
        await core.readNamespacedPodLog({
          namespace: 'meshed',
          name: pod!.metadata.name,
          container: 'istio-proxy',
        }),
      );
    for (let i = 0; i < 100 && !(await proxyLog()).includes('Envoy proxy is ready'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await proxyLog()).toContain('Envoy proxy is ready');
    // A pod that opts out gets no proxy; a namespace that did not opt in neither.
    await batch.createNamespacedJob({
      namespace: 'meshed',
      body: {
        ...compliant('m2'),
        spec: {
          ...compliant('m2').spec!,
          template: {
            ...compliant('m2').spec!.template,
            metadata: { annotations: { 'sidecar.istio.io/inject': 'false' } },
          },
        },
      },
    });
    await batch.createNamespacedJob({ namespace: 'team', body: compliant('m3') });
    await api.waitFor(() => api.pods().length === 3);
    const byJob = (j: string) => api.pods().find((p) => p.metadata.labels?.['job-name'] === j)!;
    expect(byJob('m2').spec.containers.map((c: { name: string }) => c.name)).toEqual(['c']);
    expect(byJob('m3').spec.containers.map((c: { name: string }) => c.name)).toEqual(['c']);
  });

  it('a configMap volume waits for its ConfigMap (FailedMount), then holds its keys as files', async () => {
    const { api, core, batch } = await start({
      kubelet: {
        runtime: {
          ...runtime,
          entrypoint: [
            process.execPath,
            '-e',
            "console.log(require('fs').readFileSync(process.argv[1],'utf8'))",
          ],
        },
      },
    });
    const job = compliant('cm1', {
      volumes: [{ name: 'ca', configMap: { name: 'bundle', items: [{ key: 'pem', path: 'ca.crt' }] } }],
    });
    const c = job.spec!.template.spec!.containers[0]!;
    c.args = ['/etc/ca/ca.crt'];
    c.volumeMounts = [{ name: 'ca', mountPath: '/etc/ca', readOnly: true }];
    await batch.createNamespacedJob({ namespace: 'team', body: job });
    await api.waitFor(() => api.store.list('events', 'team').some((e) => e.reason === 'FailedMount'));
    const failed = api.store.list('events', 'team').find((e) => e.reason === 'FailedMount');
    expect(failed?.message).toBe('MountVolume.SetUp failed for volume "ca" : configmap "bundle" not found');
    expect(api.pods('team')[0]!.status.phase).toBe('Pending');
    api.store.create('configmaps', {
      metadata: { name: 'bundle', namespace: 'team' },
      data: { pem: 'THE-BUNDLE' },
    });
    await api.waitFor(() => api.pods('team')[0]?.status?.phase === 'Succeeded');
    const name = api.pods('team')[0]!.metadata.name;
    // The container read the key at the mounted path its args named.
    expect(await core.readNamespacedPodLog({ namespace: 'team', name, container: 'c' })).toBe('THE-BUNDLE\n');
  });

  it('Pod Security "restricted": a non-compliant pod is refused with a FailedCreate event on the Job', async () => {
    const { api, core, batch } = await start();
    const job = compliant('psa');
    job.spec!.template.spec!.containers[0]!.securityContext = {};
    await batch.createNamespacedJob({ namespace: 'team', body: job });
    await api.waitFor(() => api.store.list('events', 'team').some((e) => e.reason === 'FailedCreate'));
    const [ev] = (
      await core.listNamespacedEvent({ namespace: 'team', fieldSelector: 'involvedObject.name=psa' })
    ).items;
    expect(ev?.type).toBe('Warning');
    expect(ev?.message).toMatch(
      /^Error creating: pods "psa-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "c" must set securityContext.allowPrivilegeEscalation=false\), unrestricted capabilities \(container "c" must set securityContext.capabilities.drop=\["ALL"\]\)$/,
    );
    expect(api.pods('team')).toEqual([]);
  });

  it('scheduling: a nodeSelector no node matches leaves the pod Unschedulable with a FailedScheduling event', async () => {
    const { api, core, batch } = await start({
      nodes: [{ name: 'n1', labels: { role: 'apps' } }, { name: 'n2' }],
    });
    await batch.createNamespacedJob({
      namespace: 'team',
      body: compliant('sched', { nodeSelector: { role: 'gpu' } }),
    });
    await api.waitFor(() => api.store.list('events', 'team').some((e) => e.reason === 'FailedScheduling'));
    const [pod] = (await core.listNamespacedPod({ namespace: 'team', labelSelector: 'job-name=sched' }))
      .items;
    expect(pod?.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
    });
    expect(pod?.status?.conditions?.[0]?.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  it("deleting a Job orphans its pod by default (the API's rule for Jobs) and removes it with Background", async () => {
    const { api, batch } = await start({ kubelet: { runtime, pullDelayMs: 600_000 } });
    for (const name of ['orphan', 'gone'])
      await batch.createNamespacedJob({ namespace: 'team', body: compliant(name) });
    await api.waitFor(() => api.pods('team').length === 2);
    await batch.deleteNamespacedJob({ namespace: 'team', name: 'orphan' });
    await batch.deleteNamespacedJob({ namespace: 'team', name: 'gone', propagationPolicy: 'Background' });
    await api.waitFor(() => api.pods('team').length === 1);
    const [left] = api.pods('team');
    expect(left?.metadata.labels?.['job-name']).toBe('orphan');
    expect(left?.metadata.ownerReferences).toEqual([]);
    expect(api.jobs('team')).toEqual([]);
  });

  it('watch replays what exists, then streams changes', async () => {
    const { api } = await start({ kubelet: { runtime, pullDelayMs: 600_000 } });
    const kc = new KubeConfig();
    kc.loadFromFile(api.writeKubeconfig(dir));
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({ namespace: 'team', body: compliant('w1') });
    const { Watch } = await import('@kubernetes/client-node');
    const seen: string[] = [];
    const got = new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        '/apis/batch/v1/namespaces/team/jobs',
        {},
        (type, obj) => {
          seen.push(`${type} ${obj.metadata.name}`);
          if (obj.metadata.name === 'w2' && type === 'ADDED') resolve();
        },
        () => undefined,
      );
    });
    await api.waitFor(() => api.requests.some((r) => r.verb === 'watch'));
    await batch.createNamespacedJob({ namespace: 'team', body: compliant('w2') });
    await got;
    expect(seen[0]).toBe('ADDED w1');
    expect(seen).toContain('ADDED w2');
  });
  it('TokenRequest: mints through the issuer hook, checks the ServiceAccount and the 10-minute minimum, obeys RBAC', async () => {
    const minted: unknown[] = [];
    const { api, core } = await start({
      tokenIssuer: async (r) => {
        minted.push(r);
        return `jwt-for-${r.serviceAccount}`;
      },
    });
    const answer = await core.createNamespacedServiceAccountToken({
      namespace: 'team',
      name: 'app',
      body: { spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 600 } },
    });
    expect(answer.status?.token).toBe('jwt-for-app');
    expect(answer.spec?.audiences).toEqual(['sts.amazonaws.com']);
    expect(minted).toEqual([
      { namespace: 'team', serviceAccount: 'app', audiences: ['sts.amazonaws.com'], expirationSeconds: 600 },
    ]);
    const tooShort = await statusOf(
      core.createNamespacedServiceAccountToken({
        namespace: 'team',
        name: 'app',
        body: { spec: { audiences: [], expirationSeconds: 599 } },
      }),
    );
    expect(tooShort.code).toBe(422);
    expect(tooShort.body.message).toContain('may not specify a duration less than 10 minutes');
    const missing = await statusOf(
      core.createNamespacedServiceAccountToken({
        namespace: 'team',
        name: 'nope',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(missing.body.message).toBe('serviceaccounts "nope" not found');
    api.forbid({ verb: 'create', resource: 'serviceaccounts/token' });
    const denied = await statusOf(
      core.createNamespacedServiceAccountToken({
        namespace: 'team',
        name: 'app',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(denied.code).toBe(403);
    expect(denied.body.message).toContain('cannot create resource "serviceaccounts/token" in API group ""');
  });

  it('TokenRequest without an issuer hook is a path the server does not serve', async () => {
    const { core } = await start();
    const s = await statusOf(
      core.createNamespacedServiceAccountToken({
        namespace: 'team',
        name: 'app',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(s.code).toBe(404);
  });
});
