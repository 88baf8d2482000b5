// `irsa-doctor run` against a server that is not a Kubernetes API server, or not only: a proxy's
// login page, JSON of the wrong kind, garbage, a flood. Nothing it says may be believed: a precise
// LAUNCH-API-NOT-KUBERNETES, no Job created, no stack trace, bounded time and memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KUBE_PEER,
  type KubePeer,
  type KubePeerOptions,
  type RawAnswer,
  startKubePeer,
} from '../peers/kube-api.js';
import { type LauncherRun, launcherStartupMs, runLauncher } from '../support/run-launcher.js';

const { namespace: NS, serviceAccount: SA } = KUBE_PEER;
const TIMEOUT_S = 10;
const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Corporate Proxy - Sign in</title></head><body><form action="/login"></form></body></html>\n';
const STATUS_HELLO = '{"kind":"Status","hello":"world"}';

let dir: string;
const peers: KubePeer[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-not-kube-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
});

async function launch(
  o: KubePeerOptions,
  opts: { rss?: boolean } = {},
): Promise<LauncherRun & { api: KubePeer }> {
  const api = await startKubePeer(o);
  peers.push(api);
  const kubeconfig = api.writeKubeconfig(dir, `kubeconfig-${peers.length}.json`);
  const r = await runLauncher(
    ['-n', NS, '-s', SA, '--kubeconfig', kubeconfig, '-o', 'json', '--timeout', String(TIMEOUT_S)],
    {
      env: { HOME: dir },
      ...opts,
    },
  );
  return { ...r, api };
}

/** What a run fed answers it cannot believe must show. */
async function expectStoppedBeforeAnything(
  r: LauncherRun & { api: KubePeer },
  variant: 'shape' | 'tooLarge' = 'shape',
) {
  expect(r.code).toBe(1);
  const f = r.finding('LAUNCH-API-NOT-KUBERNETES');
  expect(f?.status).toBe('fail');
  expect(f?.details).toMatchObject({
    server: r.api.url,
    ...(variant === 'tooLarge' ? { limitBytes: 8 * 1024 * 1024 } : {}),
  });
  expect(f?.remediation).toContain(
    variant === 'tooLarge' ? 'never sends that much' : 'Point the kubeconfig at the API server',
  );
  // Nothing it said was taken for a Kubernetes object.
  for (const believed of [
    'LAUNCH-NAMESPACE',
    'LAUNCH-SA-OK',
    'LAUNCH-SA-NOT-ANNOTATED',
    'LAUNCH-WEBHOOK-OK',
    'LAUNCH-JOB-CREATED',
  ])
    expect(r.codes).not.toContain(believed);
  expect(r.api.requests.some((q) => q.method === 'POST')).toBe(false);
  expect(r.report?.context.mechanism).toBe('none');
  expect(r.wallMs - (await launcherStartupMs())).toBeLessThan((TIMEOUT_S + 1) * 1000);
}

const everywhere = (a: RawAnswer) => ({ answer: () => a });

describe('irsa-doctor run against an API server that is not Kubernetes', () => {
  it('a proxy login page (HTML, 200) for every request: named as such, no Job', async () => {
    const r = await launch(everywhere({ status: 200, contentType: 'text/html', body: LOGIN_PAGE }));
    await expectStoppedBeforeAnything(r);
    expect(r.finding('LAUNCH-API-NOT-KUBERNETES')?.message).toMatch(
      /answered HTTP 200 to a read of a MutatingWebhookConfiguration with a body that is not JSON \(text\/html, 125 bytes, starting "<!DOCTYPE html>\\x0a<html><head><title>Corporate Proxy/,
    );
  });

  it('{"kind":"Status","hello":"world"} for every request: not a webhook configuration, namespace or Job', async () => {
    const r = await launch(everywhere({ status: 200, contentType: 'application/json', body: STATUS_HELLO }));
    await expectStoppedBeforeAnything(r);
    expect(r.finding('LAUNCH-API-NOT-KUBERNETES')?.details?.problem).toBe(
      'JSON that is not a Kubernetes MutatingWebhookConfiguration: kind is "Status", not MutatingWebhookConfiguration',
    );
  });

  it('random bytes for every request', async () => {
    let seed = 0x9e3779b9;
    const bytes = Buffer.from(
      Buffer.alloc(4096, 0).map(() => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return seed >>> 24;
      }),
    );
    const r = await launch(everywhere({ status: 200, contentType: 'application/octet-stream', body: bytes }));
    await expectStoppedBeforeAnything(r);
  });

  it('a 404 page for every request is not "namespace missing" or "webhook missing"', async () => {
    const r = await launch(
      everywhere({ status: 404, contentType: 'text/html', body: '<h1>404 Not Found</h1>' }),
    );
    await expectStoppedBeforeAnything(r);
    expect(r.codes).not.toContain('LAUNCH-WEBHOOK-MISSING');
    expect(r.codes).not.toContain('LAUNCH-NAMESPACE-MISSING');
  });

  it('200 MB of non-JSON: read no further than 8 MiB, peak RSS under 150 MB', async () => {
    const r = await launch(
      everywhere({
        status: 200,
        contentType: 'application/json',
        body: { chunk: 'A'.repeat(64 * 1024), bytes: 200 * 1024 * 1024 },
      }),
      { rss: true },
    );
    await expectStoppedBeforeAnything(r, 'tooLarge');
    expect(r.maxRssKb).toBeGreaterThan(0);
    expect(r.maxRssKb).toBeLessThan(150 * 1024);
  });

  it('only the ServiceAccount read is answered by {"kind":"Status","hello":"world"}: no false LAUNCH-SA-NOT-ANNOTATED', async () => {
    const r = await launch({
      answer: ({ path }) =>
        path.includes('/serviceaccounts/')
          ? { status: 200, contentType: 'application/json', body: STATUS_HELLO }
          : undefined,
    });
    expect(r.codes).toContain('LAUNCH-NAMESPACE');
    expect(r.finding('LAUNCH-API-NOT-KUBERNETES')?.message).toContain(`reading ServiceAccount ${NS}/${SA}`);
    expect(r.codes).not.toContain('LAUNCH-SA-NOT-ANNOTATED');
    expect(r.api.requests.some((q) => q.method === 'POST')).toBe(false);
    expect(r.code).toBe(1);
  });

  it('the Job create answered by {"kind":"Status","hello":"world"}: not LAUNCH-JOB-CREATED, and the Job it may have made is deleted', async () => {
    const r = await launch({
      answer: ({ method }) =>
        method === 'POST' ? { status: 201, contentType: 'application/json', body: STATUS_HELLO } : undefined,
    });
    expect(r.code).toBe(1);
    expect(r.codes).not.toContain('LAUNCH-JOB-CREATED');
    expect(r.finding('LAUNCH-API-NOT-KUBERNETES')?.message).toContain('creating the Job');
    expect(r.api.requests.filter((q) => q.method === 'DELETE')).toHaveLength(1);
  });

  it('a pod log of 200 MB: the first 8 MiB read, LAUNCH-NO-REPORT says the log is too long, peak RSS under 150 MB', async () => {
    const r = await launch(
      {
        answer: ({ path }) =>
          path.endsWith('/log')
            ? {
                status: 200,
                contentType: 'text/plain',
                body: { chunk: 'noise '.repeat(10_000), bytes: 200 * 1024 * 1024 },
              }
            : undefined,
      },
      { rss: true },
    );
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-NO-REPORT');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('is longer than 8 MiB, the most irsa-doctor reads of it');
    expect(f?.details).toMatchObject({ reason: 'too-large', limitBytes: 8 * 1024 * 1024 });
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expect(r.maxRssKb).toBeLessThan(150 * 1024);
  });
});
