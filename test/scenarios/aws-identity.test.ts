// The AWS-side identity checks (sts, identity, chain, imds, pod-identity) through the real CLI against
// the loopback EKS stack: one test per failure mode, asserting codes, statuses and the exit code.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type EksStack, type EksStackOptions, startEksStack } from '../harness/eks-stack.js';
import { closedPort, startBlackhole } from '../harness/net-fixtures.js';
import { runAgent } from './run-agent.js';

const ONLY = ['--only', 'sts,identity,chain,imds,pod-identity'];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stack(opts: EksStackOptions = {}): Promise<EksStack> {
  const s = await startEksStack(opts);
  cleanups.push(() => s.close());
  return s;
}

describe('healthy IRSA', () => {
  it('exchanges the token, confirms the role, chain uses web identity, IMDS blocked', async () => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const run = await runAgent(await s.podEnv(), ONLY);
    expect(run.finding('STS-OK')?.status).toBe('pass');
    expect(run.finding('IDENTITY-OK')?.status).toBe('pass');
    expect(run.finding('CHAIN-SOURCE')?.details?.source).toBe('web-identity');
    expect(run.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(run.finding('PODID-SKIPPED')?.status).toBe('skip');
    expect(run.code).toBe(0);
  });
});
