// openWatch against the loopback API, whose watches replay what exists and then stream changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeError } from '../../../src/kube/kube-error.js';
import { openWatch, type WatchEvent } from '../../../src/kube/watch-stream.js';
import { type KubeApi, startKubeApi } from '../../harness/kube-api.js';
import { kubeConfigFor } from '../../support/kube-config.js';

const NS = 'camunda';
const PODS = `/api/v1/namespaces/${NS}/pods`;
let dir: string;
let api: KubeApi;
let config: KubeConfig;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-watch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await api?.close();
});

async function loopback(): Promise<void> {
  api = await startKubeApi();
  api.addNamespace(NS);
  config = await kubeConfigFor(api.writeKubeconfig(dir));
}

const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, namespace: NS, labels } });

/** Resolves once `pred` holds; requests are not store changes, so api.waitFor would not see them. */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 10));
}

describe('openWatch', () => {
  it('streams events of the selected objects until stopped', async () => {
    await loopback();
    api.store.create('pods', pod('a', { 'job-name': 'j' }));
    const events: Array<WatchEvent<{ metadata: { name: string } }>> = [];
    let ended = false;
    const stop = await openWatch<{ metadata: { name: string } }>(
      config,
      PODS,
      { labelSelector: 'job-name=j' },
      (e) => events.push(e),
      () => {
        ended = true;
      },
    );
    await until(() => api.requests.some((r) => r.verb === 'watch'));
    api.store.create('pods', pod('other', { app: 'x' }));
    api.store.update('pods', NS, 'a', (p) => {
      p.status = { phase: 'Running' };
    });
    await expect
      .poll(() => events.map((e) => `${e.type} ${e.object.metadata.name}`))
      .toEqual(['ADDED a', 'MODIFIED a']);
    stop();
    // Stopping is not the stream ending on its own: done is for the caller's bookkeeping of live watches.
    expect(ended).toBe(false);
  });

  it('a refused watch ends at once with the status', async () => {
    await loopback();
    api.forbid({ verb: 'watch', resource: 'pods' });
    const ended = new Promise<KubeError | undefined>((resolve) => {
      void openWatch(config, PODS, {}, () => undefined, resolve);
    });
    const err = await ended;
    expect(err?.status).toBe(403);
    expect(err?.forbidden).toBe(true);
  });

  it('can be stopped before the server sends headers: the connection closes', async () => {
    // A server that reads the request and never answers.
    const sockets: Socket[] = [];
    const silent = createServer((s) => {
      sockets.push(s);
      s.resume();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const file = join(dir, 'silent.json');
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 's', cluster: { server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` } },
          ],
          users: [{ name: 'u', user: { token: 't' } }],
          contexts: [{ name: 's', context: { cluster: 's', user: 'u' } }],
          'current-context': 's',
        }),
      );
      const stop = await openWatch(
        await kubeConfigFor(file),
        PODS,
        {},
        () => undefined,
        () => undefined,
      );
      await until(() => sockets.length === 1);
      const closed = new Promise<void>((r) => sockets[0]!.once('close', () => r()));
      stop();
      await closed;
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it.each([
    ['an HTML page', '<html><body>Sign in</body></html>\n', /a line that is not a watch event/],
    ['JSON that is no event', '{"kind":"Status","hello":"world"}\n', /a line that is not a watch event/],
    ['one endless line', 'A'.repeat(1024 * 1024 + 10), /a line longer than 1048576 characters/],
  ])('a stream of %s ends the watch as not Kubernetes (the poll carries on)', async (_what, body, problem) => {
    const served: string[] = [];
    const server = createHttpServer((_req, res) => {
      served.push('x');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body);
      // Left open, as a watch is: only the client ends it.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const file = join(dir, `garbage-${served.length}-${Date.now()}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 's', cluster: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } },
          ],
          contexts: [{ name: 's', context: { cluster: 's' } }],
          'current-context': 's',
        }),
      );
      const events: unknown[] = [];
      const ended = new Promise<KubeError | undefined>((resolve) => {
        void kubeConfigFor(file).then((c) => openWatch(c, PODS, {}, (e) => events.push(e), resolve));
      });
      const err = await ended;
      expect(err?.notKubernetes).toBe(true);
      expect(err?.message).toMatch(problem);
      expect(events).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
