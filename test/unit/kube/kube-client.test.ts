// KubeClient through its real HTTP client against the loopback API and the minimal API peer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, MAX_LOG_BYTES, MAX_OBJECT_BYTES } from '../../../src/kube/kube-client.js';
import type { KubeError } from '../../../src/kube/kube-error.js';
import { type KubeApi, startKubeApi } from '../../harness/kube-api.js';
import { KUBE_PEER, type KubePeer, type KubePeerOptions, startKubePeer } from '../../peers/kube-api.js';
import { kubeConfigFor } from '../../support/kube-config.js';

const NS = 'camunda';
let dir: string;
const closers: Array<() => Promise<void>> = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-kube-client-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function loopback(): Promise<{ api: KubeApi; kube: KubeClient }> {
  const api = await startKubeApi();
  closers.push(() => api.close());
  api.addNamespace(NS);
  return { api, kube: new KubeClient(await kubeConfigFor(api.writeKubeconfig(dir))) };
}

async function peer(o: KubePeerOptions = {}): Promise<{ api: KubePeer; kube: KubeClient }> {
  const api = await startKubePeer(o);
  closers.push(() => api.close());
  const file = api.writeKubeconfig(dir, `peer-${closers.length}.json`);
  return { api, kube: new KubeClient(await kubeConfigFor(file)) };
}

async function failure(p: Promise<unknown>): Promise<KubeError> {
  try {
    await p;
  } catch (e) {
    return e as KubeError;
  }
  throw new Error('the call succeeded');
}

/** A Job the peer accepts: it copies the pod template into the pod it scripts. */
const peerJob = (name: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: KUBE_PEER.namespace },
  spec: { template: { spec: { containers: [{ name: 'agent', image: 'irsa-doctor' }] } } },
});

describe('KubeClient call limits', () => {
  it('a call the API never answers ends at endAt with a timeout naming the server', async () => {
    const { api, kube } = await loopback();
    api.stall({ verb: 'get', resource: 'namespaces' });
    const t0 = performance.now();
    const err = await failure(kube.with({ endAt: Date.now() + 300 }).readNamespace(NS));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toMatchObject({
      status: undefined,
      message: expect.stringMatching(/^no answer within 0\.3 s$/),
    });
    expect(err.noAnswer).toBe('timeout');
    expect(err.server).toBe(api.url);
  });

  it('past endAt no request is sent at all', async () => {
    const { api, kube } = await loopback();
    const err = await failure(kube.with({ endAt: Date.now() - 1 }).readNamespace(NS));
    expect(err.noAnswer).toBe('timeout');
    expect(err.extra.timeoutMs).toBe(0);
    expect(api.requests).toEqual([]);
  });

  it("the run's signal aborts a call in flight: interrupted, not a timeout", async () => {
    const { api, kube } = await loopback();
    api.stall({ verb: 'get', resource: 'namespaces' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    const err = await failure(kube.with({ signal: controller.signal }).readNamespace(NS));
    expect(err.interrupted).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("a refusal carries the API server's status and words", async () => {
    const { api, kube } = await loopback();
    api.forbid({ verb: 'get', resource: 'serviceaccounts' });
    const err = await failure(kube.readServiceAccount(NS, 'zeebe'));
    expect(err.forbidden).toBe(true);
    expect(err.message).toContain('cannot get resource "serviceaccounts"');
  });
});

describe('KubeClient reads the way any conformant API server answers', () => {
  it("finds the Job's pods by either job-name label, and only them", async () => {
    const { api, kube } = await loopback();
    api.store.create('pods', {
      metadata: { name: 'j-1-abcde', namespace: NS, labels: { 'batch.kubernetes.io/job-name': 'j-1' } },
    });
    api.store.create('pods', { metadata: { name: 'zeebe-0', namespace: NS, labels: { app: 'zeebe' } } });
    expect((await kube.listJobPods(NS, 'j-1')).map((p) => p.metadata?.name)).toEqual(['j-1-abcde']);
    expect(await kube.listJobPods(NS, 'j-2')).toEqual([]);
  });

  it('a server that ignores labelSelector lists the whole namespace: only the Job pod is taken', async () => {
    const { kube } = await peer({ labelSelector: false });
    await kube.createJob(peerJob('irsa-doctor-x-bcdfg'));
    const pods = await kube.listJobPods(KUBE_PEER.namespace, 'irsa-doctor-x-bcdfg');
    expect(pods.map((p) => p.metadata?.name)).toEqual(['irsa-doctor-x-bcdfg-x7k2p']);
  });

  it('a log served as JSON stays text; a delete answered with an empty body is a delete', async () => {
    const { api, kube } = await peer({
      log: { contentType: 'application/json', body: '{"a":1}' },
      deleteAnswer: { status: 200, body: '' },
    });
    await kube.createJob(peerJob('irsa-doctor-y-bcdfg'));
    expect(await kube.readPodLog(KUBE_PEER.namespace, 'irsa-doctor-y-bcdfg-x7k2p', 'agent')).toEqual({
      text: '{"a":1}',
      truncated: false,
    });
    await kube.deleteJob(KUBE_PEER.namespace, 'irsa-doctor-y-bcdfg');
    expect(api.jobs.size).toBe(0);
  });
});

describe('KubeClient believes only answers that are Kubernetes, and reads at most a cap of any', () => {
  const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in to Corp Proxy</title></head></html>';

  it('HTML with status 200 is not a Namespace: not Kubernetes, naming what came', async () => {
    const { kube } = await peer({
      answer: () => ({ status: 200, contentType: 'text/html', body: LOGIN_PAGE }),
    });
    const err = await failure(kube.readNamespace(KUBE_PEER.namespace));
    expect(err.notKubernetes).toBe(true);
    expect(err.noAnswer).toBeUndefined();
    expect(err.message).toMatch(
      /^answered HTTP 200 to a read of a Namespace with a body that is not JSON \(text\/html, \d+ bytes, starting "<!DOCTYPE html><html><head><title>Sign in to Corp Proxy/,
    );
  });

  it('{"kind":"Status","hello":"world"} is neither a ServiceAccount nor a created Job', async () => {
    const { api, kube } = await peer({
      answer: () => ({
        status: 200,
        contentType: 'application/json',
        body: '{"kind":"Status","hello":"world"}',
      }),
    });
    const sa = await failure(kube.readServiceAccount(KUBE_PEER.namespace, KUBE_PEER.serviceAccount));
    expect(sa.extra.notKubernetes).toBe(
      'JSON that is not a Kubernetes ServiceAccount: kind is "Status", not ServiceAccount',
    );
    const job = await failure(kube.createJob(peerJob('irsa-doctor-z-bcdfg')));
    expect(job.notKubernetes).toBe(true);
    expect(api.jobs.size).toBe(0);
  });

  it('a 404 page is not "not found": nothing is concluded from its status', async () => {
    const { kube } = await peer({
      answer: () => ({ status: 404, contentType: 'text/html', body: LOGIN_PAGE }),
    });
    const err = await failure(kube.readNamespace(KUBE_PEER.namespace));
    expect(err.notFound).toBe(false);
    expect(err.notKubernetes).toBe(true);
  });

  it('200 MB of non-JSON: the read stops at the cap, quickly, and says so', async () => {
    const { kube } = await peer({
      answer: () => ({
        status: 200,
        contentType: 'application/json',
        body: { chunk: 'A'.repeat(65536), bytes: 200 * 1024 * 1024 },
      }),
    });
    const t0 = performance.now();
    const err = await failure(kube.readWebhookConfiguration('pod-identity-webhook'));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(err.notKubernetes).toBe(true);
    expect(err.extra.tooLarge).toBe(MAX_OBJECT_BYTES);
    expect(err.message).toContain('more than 8 MiB');
  });

  it('a pod log past the cap: its first MAX_LOG_BYTES, marked truncated, and limitBytes asked for', async () => {
    const { api, kube } = await peer({
      answer: ({ path }) =>
        path.endsWith('/log')
          ? {
              status: 200,
              contentType: 'text/plain',
              body: { chunk: 'log line\n'.repeat(1000), bytes: MAX_LOG_BYTES + 4096 },
            }
          : undefined,
    });
    const log = await kube.readPodLog(KUBE_PEER.namespace, 'p', 'agent');
    expect(log.truncated).toBe(true);
    expect(log.text.length).toBe(MAX_LOG_BYTES);
    const asked = api.requests.find((r) => r.path.endsWith('/log'));
    expect(asked?.query.get('limitBytes')).toBe(String(MAX_LOG_BYTES + 1));
  });
});
