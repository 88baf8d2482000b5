// Issue 9, unbounded bodies: every peer the agent reads (STS, the Pod Identity agent, IMDS, OpenSearch, the
// OIDC issuer, PostgreSQL) answers with tens or hundreds of megabytes. Measured before: a 50 MB STS answer
// cost 500 MB of RSS, 200 MB cost 1.1 GB, a 50 MB Pod Identity answer 403 MB, while the launcher's Job
// has 256 Mi. Each run must stay under 150 MB peak RSS, end within --timeout, and say in a finding that
// what answered is not the service.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa, type IssuedCert, type TestCa } from '../harness/tls-ca.js';
import { startHostilePeer, startRawPeer, streamFill } from '../peers/hostile-peers.js';
import { startAltSts } from '../peers/identity-peers.js';
import { hostilePod } from '../support/hostile-pod.js';
import { expectComposed, type HostileRun, runHostile } from '../support/run-hostile.js';

const MB = 1024 * 1024;
const RSS_LIMIT_MB = 150;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function track<T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> {
  const peer = await p;
  cleanups.push(() => peer.close());
  return peer;
}
async function pod(o: Parameters<typeof hostilePod>[0]) {
  const p = await hostilePod(o);
  cleanups.push(p.cleanup);
  return p.env;
}

function expectBounded(run: HostileRun): void {
  expectComposed(run);
  expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
}

describe('bodies far larger than any answer', () => {
  let closed: number;
  let ca: TestCa;
  let cert: IssuedCert;
  beforeAll(async () => {
    closed = await closedPort();
    ca = await createTestCa();
    cert = await ca.issue(['127.0.0.1']);
  });
  afterAll(() => ca?.cleanup());

  for (const [size, declare] of [
    [50 * MB, false],
    [200 * MB, false],
    [200 * MB, true],
  ] as const) {
    it(`STS answering ${size / MB} MB${declare ? ' (Content-Length declared)' : ''}: STS-UNREACHABLE bad-gateway, bounded`, async () => {
      const sts = await track(
        startHostilePeer(() => ({
          status: 200,
          stream: size,
          declare,
          headers: { 'content-type': 'text/xml' },
        })),
      );
      const run = await runHostile(await pod({ closed, sts: sts.url }), ['--only', 'sts,identity,chain']);
      expectBounded(run);
      const f = run.finding('STS-UNREACHABLE');
      expect(f?.status).toBe('fail');
      expect(f?.details).toMatchObject({ network: 'bad-gateway' });
      expect(f?.message).toContain('larger than 1 MiB');
      expect(run.finding('CHAIN-FAILED')?.status).toBe('fail');
      expect(run.finding('STS-OK')).toBeUndefined();
      expect(run.code).toBe(1);
    });
  }

  it('Pod Identity agent answering 50 MB to everything: PODID-ERROR (not the agent), bounded', async () => {
    const agent = await track(startHostilePeer(() => ({ status: 200, stream: 50 * MB })));
    const env = await pod({ closed, irsa: false, podIdentity: agent.url });
    const run = await runHostile(env, ['--only', 'pod-identity,chain']);
    expectBounded(run);
    const f = run.finding('PODID-ERROR');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('is not the EKS Pod Identity agent');
    expect(run.finding('PODID-OK')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it('Pod Identity agent that answers the token-less probe but 50 MB with the token: the SDK read is capped too', async () => {
    const agent = await track(
      startHostilePeer((r) =>
        r.authorized
          ? { status: 200, stream: 50 * MB, headers: { 'content-type': 'application/json' } }
          : { status: 400, body: 'missing token' },
      ),
    );
    const env = await pod({ closed, irsa: false, podIdentity: agent.url });
    const run = await runHostile(env, ['--only', 'pod-identity,chain']);
    expectBounded(run);
    expect(agent.seen.some((r) => r.authorized)).toBe(true);
    const f = run.finding('PODID-ERROR');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('is not the EKS Pod Identity agent');
    expect(f?.message).toContain('larger than 1 MiB');
    expect(run.finding('CHAIN-FAILED')?.status).toBe('fail');
    expect(run.code).toBe(1);
  });

  it('IMDS answering 50 MB on every path: IMDS-UNDETERMINED (not IMDS), never a pass, bounded', async () => {
    const imds = await track(startHostilePeer(() => ({ status: 200, stream: 50 * MB })));
    const run = await runHostile(await pod({ closed, imds: imds.url }), ['--only', 'imds']);
    expectBounded(run);
    expect(run.finding('IMDS-UNDETERMINED')).toMatchObject({ status: 'warn', details: { why: 'not-imds' } });
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
    expect(run.code).toBe(0);
  });

  it('OpenSearch answering 50 MB of "A": OS-NOT-OPENSEARCH, not OS-OK, bounded', async () => {
    const sts = await track(startAltSts());
    const os = await track(
      startHostilePeer(
        () => ({ status: 200, stream: 50 * MB, headers: { 'content-type': 'application/json' } }),
        { tls: cert },
      ),
    );
    const env = await pod({ closed, sts: sts.url, extra: { NODE_EXTRA_CA_CERTS: ca.caFile } });
    const run = await runHostile(env, ['--only', 'opensearch', '--opensearch', os.url]);
    expectBounded(run);
    const f = run.finding('OS-NOT-OPENSEARCH');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ httpStatus: 200, bodyLimitBytes: 4 * MB });
    expect(run.finding('OS-OK')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it('OIDC issuer answering 50 MB of discovery document: OIDC-UNREACHABLE (unusable), bounded', async () => {
    const issuer = await track(
      startHostilePeer(
        () => ({ status: 200, stream: 50 * MB, headers: { 'content-type': 'application/json' } }),
        { tls: cert },
      ),
    );
    const env = await pod({
      closed,
      tokenIss: `${issuer.url}/id/X`,
      extra: { NODE_EXTRA_CA_CERTS: ca.caFile },
    });
    const run = await runHostile(env, ['--only', 'oidc']);
    expectBounded(run);
    expect(run.finding('OIDC-UNREACHABLE')).toMatchObject({
      status: 'warn',
      details: { kind: 'not-json', code: 'ETOOBIG' },
    });
    expect(run.finding('OIDC-OK')).toBeUndefined();
  });

  it('PostgreSQL that completes TLS and then declares (and streams) a 1 GB message: PG-NOT-POSTGRES, bounded', async () => {
    const sts = await track(startAltSts());
    const pg = await track(
      startRawPeer(
        (s) => {
          // A NoticeResponse ('N') header declaring 1 GB, then the bytes, for as long as the client reads.
          const head = Buffer.alloc(5);
          head.write('N', 0, 'latin1');
          head.writeInt32BE(1024 * MB, 1);
          s.write(head);
          streamFill(s, 1024 * MB);
        },
        { postgresTls: cert },
      ),
    );
    const env = await pod({ closed, sts: sts.url });
    const run = await runHostile(env, [
      '--only',
      'postgres',
      '--postgres',
      `127.0.0.1:${pg.port}`,
      '--postgres-user',
      'zeebe',
    ]);
    expectBounded(run);
    const f = run.finding('PG-NOT-POSTGRES');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('more than 1 MiB');
    expect(run.code).toBe(1);
  });
});
