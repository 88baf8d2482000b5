// waitForJob against the loopback Kubernetes API (no kubelet: the test plays the Job controller by
// writing the pod into the API's store), through the real client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../../../src/kube/kube-client.js';
import type { WaitPhase } from '../../../../src/launcher/wait/judge-job.js';
import { type WaitOptions, waitForJob } from '../../../../src/launcher/wait/wait-for-job.js';
import { type KubeApi, startKubeApi } from '../../../harness/kube-api.js';
import { kubeConfigFor } from '../../../support/kube-config.js';

const NS = 'camunda';
const JOB = 'irsa-doctor-zeebe-x2k9z';
const POD = `${JOB}-abcde`;

let dir: string;
let api: KubeApi;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-wait-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await api?.close();
});

/** The API with the Job and, unless `pod` is false, its pod running on a node. */
async function cluster(pod = true): Promise<void> {
  api = await startKubeApi();
  api.addNamespace(NS);
  api.store.create('jobs', {
    metadata: { name: JOB, namespace: NS },
    spec: { activeDeadlineSeconds: 120, backoffLimit: 0 },
    status: { active: 1 },
  });
  if (!pod) return;
  api.store.create('pods', {
    metadata: { name: POD, namespace: NS, labels: { 'job-name': JOB } },
    spec: { nodeName: 'ip-10-0-1-23', containers: [{ name: 'agent', image: 'irsa-doctor' }] },
    status: { phase: 'Running' },
  });
}

function setPodPhase(phase: string): void {
  api.store.update('pods', NS, POD, (p) => {
    p.status.phase = phase;
  });
}

/** The real client for the API, with a count of the watches it has open (every one must be stopped). */
async function client(): Promise<{ kube: KubeClient; openWatches: () => number }> {
  const kube = new KubeClient(await kubeConfigFor(api.writeKubeconfig(dir)));
  let open = 0;
  const watch = kube.watch.bind(kube);
  kube.watch = (async (...args: Parameters<KubeClient['watch']>) => {
    const stop = await watch(...args);
    open++;
    let stopped = false;
    return () => {
      if (!stopped) open--;
      stopped = true;
      stop();
    };
  }) as KubeClient['watch'];
  return { kube, openWatches: () => open };
}

/** Starts the wait; `phases` fills as the wait reports them, `phase(p)` resolves once it did. */
function startWait(kube: KubeClient, opts: Partial<WaitOptions> = {}) {
  const phases: WaitPhase[] = [];
  const listeners: Array<() => void> = [];
  const controller = new AbortController();
  const t0 = performance.now();
  const result = waitForJob(kube, NS, JOB, {
    limitMs: 20_000,
    signal: controller.signal,
    onPhase: (p) => {
      phases.push(p);
      for (const l of listeners) l();
    },
    ...opts,
  }).then((r) => ({ ...r, ms: performance.now() - t0 }));
  const phase = (p: WaitPhase) =>
    new Promise<void>((resolve) => {
      const check = () => phases.includes(p) && resolve();
      listeners.push(check);
      check();
    });
  return { result, phases, phase, abort: () => controller.abort() };
}

const jobReads = () => api.requests.filter((r) => r.verb === 'get' && r.resource === 'jobs').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `pred` holds; requests are not store changes, so api.waitFor would not see them. */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 10));
}

describe('waitForJob', () => {
  it('a watch event wakes it at once; while watches run it polls only every pollMs', async () => {
    await cluster();
    const { kube, openWatches } = await client();
    const w = startWait(kube, { pollMs: 60_000 });
    await w.phase('running');
    await until(() => api.requests.filter((r) => r.verb === 'watch').length === 2);
    // Each watch first replays what exists, which is worth a look too.
    await sleep(300);
    const reads = jobReads();
    await sleep(1500);
    // No watch: it would have polled every second by now.
    expect(jobReads()).toBe(reads);
    const changed = performance.now();
    setPodPhase('Succeeded');
    const r = await w.result;
    expect(r.kind).toBe('finished');
    expect(performance.now() - changed).toBeLessThan(900);
    expect(w.phases).toEqual(['running']);
    expect(openWatches()).toBe(0);
  });

  it('no watch allowed: polls every second and still sees the pod finish', async () => {
    await cluster();
    api.forbid({ verb: 'watch', resource: 'pods' });
    api.forbid({ verb: 'watch', resource: 'jobs' });
    const { kube, openWatches } = await client();
    const w = startWait(kube, { pollMs: 60_000 });
    await w.phase('running');
    await sleep(2300);
    expect(jobReads()).toBeGreaterThanOrEqual(3);
    setPodPhase('Failed');
    const r = await w.result;
    expect(r.kind).toBe('finished');
    expect(openWatches()).toBe(0);
  });

  it('a forbidden read ends it at the first look with LAUNCH-FORBIDDEN', async () => {
    await cluster();
    api.forbid({ verb: 'get', resource: 'jobs' });
    const { kube, openWatches } = await client();
    const r = await startWait(kube, { pollMs: 200 }).result;
    expect(r.kind === 'failed' && r.finding.code).toBe('LAUNCH-FORBIDDEN');
    expect(jobReads()).toBe(1);
    expect(openWatches()).toBe(0);
  });

  it('three failed reads in a row end it with LAUNCH-API-ERROR, not the first', async () => {
    await cluster();
    const { kube, openWatches } = await client();
    const w = startWait(kube, { pollMs: 200 });
    await w.phase('running');
    await api.close();
    const failedFrom = performance.now();
    const r = await w.result;
    expect(r.kind === 'failed' && r.finding.code).toBe('LAUNCH-API-ERROR');
    expect(r.kind === 'failed' && r.finding.details).toMatchObject({ noAnswer: 'unreachable' });
    // Three reads at least one poll apart (the broken watches leave the one-second poll).
    expect(performance.now() - failedFrom).toBeGreaterThan(350);
    expect(openWatches()).toBe(0);
  });

  it('the limit ends it with LAUNCH-DEADLINE naming the last phase, even while a read hangs', async () => {
    await cluster();
    const { kube, openWatches } = await client();
    const w = startWait(kube, { pollMs: 100, limitMs: 1500 });
    await w.phase('running');
    api.stall({ verb: 'get', resource: 'jobs' });
    const r = await w.result;
    expect(r.kind).toBe('failed');
    if (r.kind !== 'failed') return;
    expect(r.finding.code).toBe('LAUNCH-DEADLINE');
    expect(r.finding.details).toMatchObject({ job: JOB, phase: 'running' });
    expect(r.pod?.metadata?.name).toBe(POD);
    expect(r.ms).toBeLessThan(4000);
    expect(openWatches()).toBe(0);
  });

  it('abort ends it at once as interrupted, with the last pod seen', async () => {
    await cluster();
    const { kube, openWatches } = await client();
    const w = startWait(kube, { pollMs: 60_000 });
    await w.phase('running');
    const aborted = performance.now();
    w.abort();
    const r = await w.result;
    expect(r.kind).toBe('interrupted');
    expect(r.pod?.metadata?.name).toBe(POD);
    expect(performance.now() - aborted).toBeLessThan(200);
    expect(openWatches()).toBe(0);
  });

  it('an already aborted signal makes no call at all', async () => {
    await cluster();
    const { kube } = await client();
    const controller = new AbortController();
    controller.abort();
    const r = await waitForJob(kube, NS, JOB, { limitMs: 1000, signal: controller.signal });
    expect(r).toEqual({ kind: 'interrupted' });
    expect(api.requests).toEqual([]);
  });

  it('reports each phase once, in order, while the Job controller creates the pod', async () => {
    await cluster(false);
    const { kube } = await client();
    const w = startWait(kube, { pollMs: 60_000 });
    await w.phase('creating');
    api.store.create('pods', {
      metadata: { name: POD, namespace: NS, labels: { 'job-name': JOB } },
      spec: { containers: [{ name: 'agent', image: 'irsa-doctor' }] },
      status: { phase: 'Pending' },
    });
    await w.phase('scheduling');
    api.store.update('pods', NS, POD, (p) => {
      p.spec.nodeName = 'ip-10-0-1-23';
    });
    await w.phase('pulling');
    setPodPhase('Running');
    await w.phase('running');
    setPodPhase('Succeeded');
    expect((await w.result).kind).toBe('finished');
    expect(w.phases).toEqual(['creating', 'scheduling', 'pulling', 'running']);
  });
});
