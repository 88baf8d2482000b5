// A bounded fuzz of the Kubernetes API peer: a seeded PRNG replaces the peer's answers with random
// bytes, strict prefixes of the real answer, another status code, an HTML page or nothing, and
// `irsa-doctor run` must hold whatever it is fed: a report that validates against the schema, only
// catalog codes, no stack trace (test/support/run-launcher.ts checks those), no Job created when a
// preflight answer could not be believed, and an end in bounded time.
//
// Reproduce a failure with FUZZ_SEED=<the seed in the message>; FUZZ_ITERATIONS raises the count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEANUP_MS, DEADLINE_GRACE_MS } from '../../src/launcher/run-clock.js';
import { KUBE_PEER, type PeerRequest, type RawAnswer, startKubePeer } from '../peers/kube-api.js';
import { launcherStartupMs, runLauncher } from '../support/run-launcher.js';

const { namespace: NS, serviceAccount: SA } = KUBE_PEER;
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_109);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 12);
const TIMEOUT_S = 5;
// No 2xx: a 2xx with the real body is the real answer.
const STATUSES = [302, 400, 401, 403, 404, 409, 429, 500, 502, 503];
const PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mangling = 'truncate' | 'random' | 'status' | 'html' | 'empty';

/**
 * One answer replaced by something no Kubernetes API server sends. Every choice is unbelievable
 * by construction: a strict prefix of a JSON object is not JSON, random bytes are not an object
 * of the right kind, a 2xx body under an error status is no Status, and so on.
 */
function mangled(
  rand: () => number,
  real: { status: number; body: string },
): { how: Mangling; answer: RawAnswer } {
  const how = (['truncate', 'random', 'status', 'html', 'empty'] as const)[Math.floor(rand() * 5)]!;
  switch (how) {
    case 'truncate':
      return {
        how,
        answer: {
          status: real.status,
          contentType: 'application/json',
          body: real.body.slice(0, Math.floor(rand() * real.body.length)),
        },
      };
    case 'random': {
      const bytes = Buffer.alloc(Math.floor(rand() * 4096));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      return { how, answer: { status: 200, contentType: 'application/json', body: bytes } };
    }
    case 'status':
      return {
        how,
        answer: {
          status: STATUSES[Math.floor(rand() * STATUSES.length)]!,
          contentType: 'application/json',
          body: real.body,
        },
      };
    case 'html':
      return { how, answer: { status: rand() < 0.5 ? 200 : 502, contentType: 'text/html', body: PAGE } };
    case 'empty':
      return { how, answer: { status: 200, body: '' } };
  }
}

/** Whether the peer's real answer is itself an error Status (mangling its code would keep it believable). */
function isStatus(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: unknown }).kind === 'Status';
  } catch {
    return false;
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz: the Kubernetes API answers random and truncated bytes', () => {
  it(`${ITERATIONS} seeded runs (seed ${SEED}) hold the run's invariants`, async () => {
    const startup = await launcherStartupMs();
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = SEED + i;
      const rand = prng(seed);
      // Even runs mangle only until the Job exists (preflight and the create); odd runs anywhere.
      const scope: 'preflight' | 'anywhere' = i % 2 === 0 ? 'preflight' : 'anywhere';
      const p = 0.2 + rand() * 0.6;
      let posted = false;
      let createRefused401 = false;
      const log: string[] = [];
      const preflightMangled: string[] = [];
      const peer = await startKubePeer({
        mangle: (req: PeerRequest, real) => {
          if (req.method === 'POST') posted = true;
          if (scope === 'preflight' && posted && req.method !== 'POST') return undefined;
          if (isStatus(real.body) || rand() >= p) return undefined;
          const { how, answer } = mangled(rand, real);
          log.push(`${req.method} ${req.path} -> ${how} ${answer.status}`);
          if (!posted && req.method === 'GET') preflightMangled.push(req.path);
          if (req.method === 'POST' && answer.status === 401) createRefused401 = true;
          return answer;
        },
      });
      try {
        const kubeconfig = peer.writeKubeconfig(dir, `fuzz-${seed}.json`);
        const r = await runLauncher(
          ['-n', NS, '-s', SA, '--kubeconfig', kubeconfig, '-o', 'json', '--timeout', String(TIMEOUT_S)],
          { env: { HOME: dir }, killAfterMs: 90_000 },
        ).catch((e: Error) => {
          throw new Error(`seed ${seed} (${scope}): ${e.message}\nanswers mangled:\n${log.join('\n')}`);
        });
        const why = `seed ${seed} (${scope}, p=${p.toFixed(2)}), codes ${r.codes.join(',')}\nanswers mangled:\n${log.join('\n')}\nstderr: ${r.stderr}`;
        expect(r.report, why).toBeDefined();
        expect([0, 1], why).toContain(r.code);
        const jobCreated = peer.requests.some((q) => q.method === 'POST');
        // A preflight read that could not be believed stops the run before anything is created.
        if (preflightMangled.length > 0) {
          expect(jobCreated, why).toBe(false);
          expect(
            r.codes.some((c) => c === 'LAUNCH-API-NOT-KUBERNETES' || c === 'LAUNCH-API-ERROR'),
            why,
          ).toBe(true);
        }
        // A Job is deleted whenever one may exist: a create may have reached the API server whatever
        // came back, except a 401 (the request was refused before anything was made).
        if (jobCreated && !createRefused401)
          expect(
            peer.requests.some((q) => q.method === 'DELETE'),
            why,
          ).toBe(true);
        // Bounded from where the run's clock starts: --timeout + 1 s without a Job; once one exists,
        // the documented wait for the Job controller and the cleanup's own deadline on top.
        const bound = (TIMEOUT_S + 1) * 1000 + (jobCreated ? DEADLINE_GRACE_MS + CLEANUP_MS : 0);
        expect(r.wallMs - startup, why).toBeLessThan(bound);
      } finally {
        await peer.close();
      }
    }
  }, 600_000);
});
