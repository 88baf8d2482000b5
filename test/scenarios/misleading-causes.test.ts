// Issue 9, misleading causes: each of these used to be reported as something it was not. PostgreSQL that
// completes TLS and then sends garbage or stalls read as "no answer to the TCP connect (packets dropped)"
// while the reachability check said TCP and TLS were fine; random bytes from STS read as "STS refused ...
// HPE_INVALID_CONSTANT"; AWS_ENDPOINT_URL_STS="not a url" read as "STS refused ... ERR_INVALID_URL"
// although STS was never contacted; file:///etc/passwd as the STS endpoint read as "connection refused"
// on port 80.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa, type IssuedCert, type TestCa } from '../harness/tls-ca.js';
import { startHostilePeer, startRawPeer } from '../peers/hostile-peers.js';
import { startAltSts } from '../peers/identity-peers.js';
import { hostilePod } from '../support/hostile-pod.js';
import { expectComposed, runHostile } from '../support/run-hostile.js';

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

describe('true causes', () => {
  let closed: number;
  let ca: TestCa;
  let cert: IssuedCert;
  beforeAll(async () => {
    closed = await closedPort();
    ca = await createTestCa();
    cert = await ca.issue(['127.0.0.1']);
  });
  afterAll(() => ca?.cleanup());

  describe('PostgreSQL endpoints that complete TLS and then do not speak PostgreSQL', () => {
    async function pgRun(onTls: Parameters<typeof startRawPeer>[0]) {
      const sts = await track(startAltSts());
      const pg = await track(startRawPeer(onTls, { postgresTls: cert }));
      const env = await pod({ closed, sts: sts.url });
      return runHostile(
        env,
        [
          '--only',
          'postgres,postgres-reachability',
          '--postgres',
          `127.0.0.1:${pg.port}`,
          '--postgres-user',
          'zeebe',
        ],
        { timeoutS: 8 },
      );
    }

    it('garbage after TLS: PG-NOT-POSTGRES, while reachability says TCP and TLS work', async () => {
      const run = await pgRun((s) => s.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
      expectComposed(run);
      expect(run.check('postgres-reachability')?.status).toBe('pass');
      const f = run.finding('PG-NOT-POSTGRES');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain('no PostgreSQL message');
      expect(run.findings.filter((x) => x.code === 'NET-TIMEOUT')).toEqual([]);
      expect(run.code).toBe(1);
    });

    it('an unknown message type after TLS: PG-NOT-POSTGRES', async () => {
      // "received invalid response": a well-framed message of a type PostgreSQL does not have.
      const m = Buffer.from([0x7a, 0, 0, 0, 4]);
      const run = await pgRun((s) => s.write(m));
      expectComposed(run);
      expect(run.finding('PG-NOT-POSTGRES')?.status).toBe('fail');
      expect(run.code).toBe(1);
    });

    it('silence after TLS: NET-TIMEOUT says TCP and TLS completed, and blames no security group', async () => {
      const run = await pgRun(() => undefined);
      expectComposed(run);
      expect(run.check('postgres-reachability')?.status).toBe('pass');
      const f = run.check('postgres')?.findings.find((x) => x.code === 'NET-TIMEOUT');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain('TCP and TLS completed');
      expect(f?.message).not.toContain('packets dropped');
      expect(f?.remediation).toContain('accepted the TCP connection');
      expect(f?.remediation).not.toContain('authorize-security-group-ingress');
      expect(run.code).toBe(1);
    });
  });

  it('random bytes from STS: STS-UNREACHABLE not-http, not "STS refused"', async () => {
    const sts = await track(
      startHostilePeer(() => ({
        raw: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x01, 0x7f, 0x80, 0xfe]),
      })),
    );
    const run = await runHostile(await pod({ closed, sts: sts.url }), ['--only', 'sts,chain']);
    expectComposed(run);
    const f = run.finding('STS-UNREACHABLE');
    expect(f).toMatchObject({ status: 'fail', details: { network: 'not-http' } });
    expect(f?.message).toContain('not in HTTP');
    expect(run.finding('STS-ERROR')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  for (const [variable, value, problem] of [
    ['AWS_ENDPOINT_URL_STS', 'not a url', 'is not a URL'],
    ['AWS_ENDPOINT_URL_STS', 'file:///etc/passwd', 'is a file: URL'],
    ['AWS_ENDPOINT_URL', 'sts.us-west-2.amazonaws.com', 'is not a URL'],
  ] as const) {
    it(`${variable}=${value}: STS-ENDPOINT-INVALID naming the variable, STS never contacted`, async () => {
      const env = await pod({ closed });
      delete env.AWS_ENDPOINT_URL_STS;
      env[variable] = value;
      const run = await runHostile(env, ['--only', 'sts,identity,chain']);
      expectComposed(run);
      const f = run.finding('STS-ENDPOINT-INVALID');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain(`${variable} ${problem}`);
      expect(f?.message).toContain('STS was not contacted');
      expect(f?.remediation).toContain(variable);
      expect(run.finding('STS-UNREACHABLE')).toBeUndefined();
      expect(run.stdout).not.toMatch(/ECONNREFUSED|ERR_INVALID_URL|refused/);
      // The chain hits the same setting and says so, not "connection refused".
      expect(run.finding('CHAIN-FAILED')?.details).toMatchObject({ cause: 'STS-ENDPOINT-INVALID' });
      expect(run.code).toBe(1);
    });
  }

  it('AWS_EC2_METADATA_SERVICE_ENDPOINT that is no URL: IMDS-UNDETERMINED, not IMDS-BLOCKED', async () => {
    const env = await pod({ closed, imds: 'metadata.internal' });
    const run = await runHostile(env, ['--only', 'imds']);
    expectComposed(run);
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
    expect(run.finding('IMDS-UNDETERMINED')?.message).toContain(
      'AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL',
    );
  });
});
