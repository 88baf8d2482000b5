// Issue 9, wrong answers judged as success: a peer that does not answer like the service is a finding
// about that peer. Before: a proxy's HTML login page (200) from the OpenSearch endpoint was OS-OK
// ("answered a signed GET /: unknown"), and STS credentials that expired in 2001 gave STS-OK and
// IDENTITY-OK with exit 0. (50 MB of "A" from OpenSearch: hostile-bodies.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa, type IssuedCert, type TestCa } from '../harness/tls-ca.js';
import { type HostileAnswer, startHostilePeer } from '../peers/hostile-peers.js';
import { KEY, NS, startAltSts } from '../peers/identity-peers.js';
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

/** An AssumeRoleWithWebIdentity answer in STS's own shape, with the Credentials given. */
function assumeAnswer(credentials: string): HostileAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><AssumeRoleWithWebIdentityResult><AssumedRoleUser><AssumedRoleId>AROAALT:s</AssumedRoleId><Arn>arn:aws:sts::210987654321:assumed-role/alt-app/s</Arn></AssumedRoleUser><Credentials>${credentials}</Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
  };
}
/** GetCallerIdentity says whatever is asked: only the check's own judgement can fail such a run. */
const callerAnswer: HostileAnswer = {
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Account>210987654321</Account><UserId>AROAALT:s</UserId><Arn>arn:aws:sts::210987654321:assumed-role/alt-app/s</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`,
};
const stsWith = (credentials: string) =>
  startHostilePeer((r) =>
    r.body.includes('AssumeRoleWithWebIdentity') ? assumeAnswer(credentials) : callerAnswer,
  );

describe('answers that are not the service, judged as such', () => {
  let closed: number;
  let ca: TestCa;
  let cert: IssuedCert;
  beforeAll(async () => {
    closed = await closedPort();
    ca = await createTestCa();
    cert = await ca.issue(['127.0.0.1']);
  });
  afterAll(() => ca?.cleanup());

  it('STS credentials that expired in 2001: STS-CREDENTIALS-INVALID, identity skipped, exit 1', async () => {
    const sts = await track(
      stsWith(
        `<AccessKeyId>${KEY.web}</AccessKeyId><SecretAccessKey>stale-secret-0000</SecretAccessKey><SessionToken>stale-token-0000</SessionToken><Expiration>2001-01-01T00:00:00Z</Expiration>`,
      ),
    );
    const run = await runHostile(await pod({ closed, sts: sts.url }), ['--only', 'sts,identity']);
    expectComposed(run);
    const f = run.finding('STS-CREDENTIALS-INVALID');
    expect(f).toMatchObject({ status: 'fail', details: { expiration: '2001-01-01T00:00:00.000Z' } });
    expect(f?.message).toContain('expired at 2001-01-01');
    expect(run.finding('STS-OK')).toBeUndefined();
    expect(run.finding('IDENTITY-OK')).toBeUndefined();
    expect(run.finding('IDENTITY-SKIPPED')?.status).toBe('skip');
    expect(run.stdout).not.toContain('stale-secret-0000');
    expect(run.code).toBe(1);
  });

  it('STS credentials without a session token: STS-CREDENTIALS-INVALID', async () => {
    const sts = await track(
      stsWith(
        `<AccessKeyId>${KEY.web}</AccessKeyId><SecretAccessKey>secret-0000</SecretAccessKey><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration>`,
      ),
    );
    const run = await runHostile(await pod({ closed, sts: sts.url }), ['--only', 'sts,identity']);
    expectComposed(run);
    expect(run.finding('STS-CREDENTIALS-INVALID')?.message).toContain('lack SessionToken');
    expect(run.code).toBe(1);
  });

  it('the Pod Identity agent handing out credentials that expired in 2001: PODID-ERROR, not PODID-OK', async () => {
    const agent = await track(
      startHostilePeer(() => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          AccessKeyId: KEY.pod,
          SecretAccessKey: 'stale-pod-secret',
          Token: 'stale-pod-token',
          Expiration: '2001-01-01T00:00:00Z',
        }),
      })),
    );
    const run = await runHostile(await pod({ closed, irsa: false, podIdentity: agent.url }), [
      '--only',
      'pod-identity',
    ]);
    expectComposed(run);
    expect(run.finding('PODID-ERROR')?.message).toContain('expired at 2001-01-01');
    expect(run.finding('PODID-OK')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  describe('OpenSearch endpoints that answer 200 but are not OpenSearch', () => {
    async function osRun(answer: HostileAnswer, service: 'es' | 'aoss' = 'es') {
      const sts = await track(startAltSts());
      const os = await track(startHostilePeer(() => answer, { tls: cert }));
      const env = await pod({ closed, sts: sts.url, extra: { NODE_EXTRA_CA_CERTS: ca.caFile } });
      return runHostile(env, [
        '--only',
        'opensearch',
        '--opensearch',
        os.url,
        '--opensearch-service',
        service,
      ]);
    }

    it("a proxy's HTML login page: OS-NOT-OPENSEARCH naming the page", async () => {
      const run = await osRun({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!DOCTYPE html><html><head><title>Sign in - Corporate Proxy</title></head><body><form>...</form></body></html>',
      });
      expectComposed(run);
      const f = run.finding('OS-NOT-OPENSEARCH');
      expect(f?.status).toBe('fail');
      expect(f?.message).toContain('an HTML or XML page');
      expect(run.finding('OS-OK')).toBeUndefined();
      expect(run.code).toBe(1);
    });

    it('JSON without a version: OS-NOT-OPENSEARCH', async () => {
      const run = await osRun({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"status":"ok"}',
      });
      expectComposed(run);
      expect(run.finding('OS-NOT-OPENSEARCH')?.status).toBe('fail');
      expect(run.code).toBe(1);
    });

    it('a "Serverless collection" that answers _cat/indices with an object: OS-NOT-OPENSEARCH', async () => {
      const run = await osRun(
        { status: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' },
        'aoss',
      );
      expectComposed(run);
      expect(run.finding('OS-NOT-OPENSEARCH')?.message).toContain('not the JSON array');
      expect(run.code).toBe(1);
    });

    it('a gzip bomb: inflated past the cap, OS-NOT-OPENSEARCH, bounded', async () => {
      const { gzipSync } = await import('node:zlib');
      const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
      const run = await osRun({
        status: 200,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: bomb,
      });
      expectComposed(run);
      expect(run.maxRssMb).toBeLessThan(150);
      expect(run.finding('OS-NOT-OPENSEARCH')?.details).toMatchObject({ bodyLimitBytes: 4 * 1024 * 1024 });
      expect(run.code).toBe(1);
    });
  });
});
