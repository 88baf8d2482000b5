// Issue 9, a security check that passed on a timeout: with 16 agents on 2 busy cores, 2 of 20 runs said
// IMDS-BLOCKED (pass) although IMDS answered, because the 1 s probe timed out while the process was
// starved. Here the starvation is made deterministic by a test preload that blocks the agent's event loop
// for 1.5 s right after the IMDSv2 token PUT starts; IMDS itself answers at once.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { type Peer, startAltImds } from '../peers/identity-peers.js';
import { type HostilePod, hostilePod } from '../support/hostile-pod.js';
import { expectComposed, runHostile } from '../support/run-hostile.js';

const STARVE = fileURLToPath(new URL('../support/starve-loop-preload.mjs', import.meta.url));

describe('IMDS probe in a starved process', () => {
  let imds: Peer;
  let hop: Peer;
  let pod: HostilePod;
  let hopPod: HostilePod;
  beforeAll(async () => {
    const closed = await closedPort();
    imds = await startAltImds('v1-and-v2');
    hop = await startAltImds('hop-limit-v1-401');
    pod = await hostilePod({ closed, imds: imds.url, irsa: false });
    hopPod = await hostilePod({ closed, imds: hop.url, irsa: false });
  });
  afterAll(async () => {
    await imds?.close();
    await hop?.close();
    pod?.cleanup();
    hopPod?.cleanup();
  });

  const starved = (times: '1' | 'all') => ({
    IRSA_TEST_STARVE_MS: '1500',
    IRSA_TEST_STARVE_PATH: '/latest/api/token',
    IRSA_TEST_STARVE_TIMES: times,
  });

  it('starved on every probe: IMDS-UNDETERMINED (warn), never IMDS-BLOCKED', async () => {
    const run = await runHostile({ ...pod.env, ...starved('all') }, ['--only', 'imds'], {
      timeoutS: 6,
      preload: [STARVE],
    });
    expectComposed(run);
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
    const f = run.finding('IMDS-UNDETERMINED');
    expect(f).toMatchObject({ status: 'warn', details: { why: 'starved', retried: true } });
    expect(f?.details?.lateMs).toBeGreaterThan(100);
    expect(f?.remediation).toContain('less busy');
    expect(run.code).toBe(0);
  });

  it('starved once: the retry hears IMDS, IMDS-REACHABLE', async () => {
    const run = await runHostile({ ...pod.env, ...starved('1') }, ['--only', 'imds'], {
      timeoutS: 6,
      preload: [STARVE],
    });
    expectComposed(run);
    expect(run.finding('IMDS-REACHABLE')).toMatchObject({ status: 'warn', details: { retried: true } });
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
  });

  it('starved with too little time left to retry: IMDS-UNDETERMINED, not a pass', async () => {
    const run = await runHostile({ ...pod.env, ...starved('all') }, ['--only', 'imds'], {
      timeoutS: 3,
      preload: [STARVE],
    });
    expectComposed(run);
    expect(run.finding('IMDS-UNDETERMINED')).toMatchObject({ status: 'warn', details: { why: 'starved' } });
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
  });

  it('not starved, hop limit 1: the PUT connects and never gets an answer, IMDS-BLOCKED names that signature', async () => {
    const run = await runHostile(hopPod.env, ['--only', 'imds'], { timeoutS: 5 });
    expectComposed(run);
    const f = run.finding('IMDS-BLOCKED');
    expect(f?.status).toBe('pass');
    expect(f?.message).toContain('the hop-limit signature');
    expect(run.code).toBe(0);
  });
});
