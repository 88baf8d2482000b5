// Issue 9, fuzz-style: every peer of the agent (STS, the OIDC issuer, IMDS, the Pod Identity agent,
// OpenSearch, PostgreSQL) answers each request with something drawn from a seeded PRNG: random bytes
// instead of the protocol, a valid answer cut off or with bytes flipped, a random status with a random
// body, silence. Whatever they do, a run must end in a report that validates against the schema, with
// catalog codes only (both checked by runAgent), no stack trace, no check in `error` unless the run
// deadline passed, and an exit within --timeout + 1 s. The seed is printed with every failure; set
// FUZZ_SEED to replay one.
import type { Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa, type IssuedCert, type TestCa } from '../harness/tls-ca.js';
import { type HostileAnswer, type HostilePeer, startHostilePeer } from '../peers/hostile-peers.js';
import { KEY, NS } from '../peers/identity-peers.js';
import { hostilePod } from '../support/hostile-pod.js';
import { runHostile } from '../support/run-hostile.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x9e3779b9);
const ITERATIONS = 16;
const TIMEOUT_S = 3;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
type Rng = ReturnType<typeof prng>;

const MODES = ['valid', 'random', 'truncated', 'mutated', 'status', 'close', 'hang'] as const;
type Mode = (typeof MODES)[number];
/** Silence is the costliest mode (it runs to the deadline): drawn less often than the others. */
const WEIGHTED: Mode[] = [
  'valid',
  'valid',
  'random',
  'random',
  'truncated',
  'truncated',
  'mutated',
  'mutated',
  'status',
  'status',
  'close',
  'hang',
];
const STATUSES = [200, 200, 204, 301, 302, 400, 401, 403, 404, 429, 500, 502, 503];
const TYPES = ['application/json', 'text/xml', 'text/html', 'text/plain', 'application/octet-stream', ''];

/** One answer for one request: the valid body in a random disguise. */
function fuzzAnswer(
  rng: Rng,
  valid: () => { status: number; type: string; body: string },
  log: string[],
  who: string,
): HostileAnswer {
  const mode = rng.pick(WEIGHTED);
  log.push(`${who}:${mode}`);
  const v = valid();
  const headers = (type: string): Record<string, string> => (type ? { 'content-type': type } : {});
  switch (mode) {
    case 'valid':
      return { status: v.status, headers: headers(v.type), body: v.body };
    case 'random':
      return { raw: rng.bytes(rng.int(2048)), hold: rng.int(2) === 0 };
    case 'truncated': {
      const body = Buffer.from(v.body);
      const cut = rng.int(body.length + 1);
      // Declares the full length, sends a prefix, closes: the answer ends mid-way.
      const head = `HTTP/1.1 ${v.status} X\r\n${v.type ? `Content-Type: ${v.type}\r\n` : ''}Content-Length: ${body.length}\r\n\r\n`;
      return { raw: Buffer.concat([Buffer.from(head), body.subarray(0, cut)]) };
    }
    case 'mutated': {
      const body = Buffer.from(v.body);
      for (let i = 0, n = 1 + rng.int(8); i < n && body.length > 0; i++)
        body[rng.int(body.length)] = rng.int(256);
      return { status: v.status, headers: headers(v.type), body };
    }
    case 'status': {
      const status = rng.pick(STATUSES);
      const random = rng.int(2) === 0;
      const body = random
        ? rng.bytes(rng.int(512))
        : Buffer.from(v.body.slice(0, rng.int(v.body.length + 1)));
      const h = headers(rng.pick(TYPES));
      if (status === 301 || status === 302)
        h.location = rng.pick(['/x', 'http://[::1', 'ftp://127.0.0.1/', '']);
      log[log.length - 1] = `${who}:status${status}${random ? '-random' : '-prefix'}`;
      return { status, headers: h, body };
    }
    case 'close':
      return 'close';
    case 'hang':
      return 'hang';
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function stsValid(body: string) {
  const xml = (s: string) => ({ status: 200, type: 'text/xml', body: s });
  if (body.includes('AssumeRoleWithWebIdentity'))
    return xml(
      `<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><AssumeRoleWithWebIdentityResult><AssumedRoleUser><AssumedRoleId>AROAFUZZ:s</AssumedRoleId><Arn>arn:aws:sts::210987654321:assumed-role/alt-app/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>${KEY.web}</AccessKeyId><SecretAccessKey>fuzzsecret0000</SecretAccessKey><SessionToken>fuzztoken0000</SessionToken><Expiration>${iso(Date.now() + 3600_000)}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
    );
  return xml(
    `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Account>210987654321</Account><UserId>AROAFUZZ:s</UserId><Arn>arn:aws:sts::210987654321:assumed-role/alt-app/s</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`,
  );
}

/** A PostgreSQL front: random bytes instead of "S", "N", or TLS and then random, truncated or no protocol. */
async function startFuzzPg(rng: Rng, cert: IssuedCert, log: string[]) {
  const secureContext = createSecureContext({ cert: cert.certPem, key: cert.keyPem });
  const sockets = new Set<Socket>();
  const server = createNetServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => undefined);
    raw.on('close', () => sockets.delete(raw));
    const mode = rng.pick(['random', 'N', 'tls-random', 'tls-truncated', 'tls-silent', 'close'] as const);
    log.push(`pg:${mode}`);
    raw.once('data', () => {
      if (mode === 'close') return raw.destroy();
      if (mode === 'random') return raw.end(rng.bytes(1 + rng.int(512)));
      if (mode === 'N') return raw.write('N');
      raw.write('S');
      const tls = new TLSSocket(raw, { isServer: true, secureContext });
      tls.on('error', () => undefined);
      tls.once('secure', () => {
        if (mode === 'tls-random') tls.write(rng.bytes(rng.int(2048)));
        if (mode === 'tls-truncated') {
          // AuthenticationCleartextPassword (R, length 8, code 3), cut short.
          const m = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);
          tls.end(m.subarray(0, 1 + rng.int(m.length - 1)));
        }
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

describe(`fuzzed peers (seed ${SEED}, ${ITERATIONS} runs)`, () => {
  let ca: TestCa;
  let cert: IssuedCert;
  let closed: number;
  beforeAll(async () => {
    ca = await createTestCa();
    cert = await ca.issue(['127.0.0.1']);
    closed = await closedPort();
  });
  afterAll(() => ca?.cleanup());

  for (let i = 0; i < ITERATIONS; i++) {
    it(`run ${i}`, { timeout: 20_000 }, async () => {
      // One stream per peer: what a peer answers depends on the seed and its own requests only, not on
      // how the agent's concurrent checks happen to interleave.
      const stream = (peer: number) => prng((Math.imul(SEED + i, 31) + peer) >>> 0);
      const [stsRng, oidcRng, imdsRng, podRng, osRng, pgRng] = [1, 2, 3, 4, 5, 6].map(stream) as [
        Rng,
        Rng,
        Rng,
        Rng,
        Rng,
        Rng,
      ];
      const log: string[] = [];
      const peers: Array<{ close(): Promise<void> }> = [];
      try {
        // Odd runs get an STS that answers well, so the default chain has credentials and OpenSearch and
        // PostgreSQL are reached with signed requests; even runs fuzz STS itself.
        const fuzzSts = i % 2 === 0;
        const sts = await startHostilePeer((r) => {
          if (fuzzSts) return fuzzAnswer(stsRng, () => stsValid(r.body), log, 'sts');
          const v = stsValid(r.body);
          return { status: v.status, headers: { 'content-type': v.type }, body: v.body };
        });
        peers.push(sts);
        let issuerUrl = '';
        const issuer: HostilePeer = await startHostilePeer(
          (r) =>
            fuzzAnswer(
              oidcRng,
              () =>
                r.path.endsWith('/openid-configuration')
                  ? {
                      status: 200,
                      type: 'application/json',
                      body: JSON.stringify({
                        issuer: `${issuerUrl}/id/F`,
                        jwks_uri: `${issuerUrl}/id/F/keys`,
                      }),
                    }
                  : {
                      status: 200,
                      type: 'application/json',
                      body: JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] }),
                    },
              log,
              'oidc',
            ),
          { tls: cert },
        );
        issuerUrl = issuer.url;
        peers.push(issuer);
        const imds = await startHostilePeer((r) =>
          fuzzAnswer(
            imdsRng,
            () => ({
              status: 200,
              type: 'text/plain',
              body: r.method === 'PUT' ? 'AQAEAFUZZtoken0000000000==' : 'eks-node-role',
            }),
            log,
            'imds',
          ),
        );
        peers.push(imds);
        const podId = await startHostilePeer(() =>
          fuzzAnswer(
            podRng,
            () => ({
              status: 200,
              type: 'application/json',
              body: JSON.stringify({
                AccessKeyId: KEY.pod,
                SecretAccessKey: 'fuzzpodsecret',
                Token: 'fuzzpodtoken',
                Expiration: iso(Date.now() + 3600_000),
              }),
            }),
            log,
            'podid',
          ),
        );
        peers.push(podId);
        const os = await startHostilePeer(
          () =>
            fuzzAnswer(
              osRng,
              () => ({
                status: 200,
                type: 'application/json',
                body: JSON.stringify({
                  name: 'n',
                  cluster_name: 'c',
                  version: { distribution: 'opensearch', number: '2.11.0' },
                }),
              }),
              log,
              'opensearch',
            ),
          { tls: cert },
        );
        peers.push(os);
        const pg = await startFuzzPg(pgRng, cert, log);
        peers.push(pg);
        const p = await hostilePod({
          closed,
          sts: sts.url,
          imds: imds.url,
          podIdentity: podId.url,
          tokenIss: `${issuer.url}/id/F`,
          extra: { NODE_EXTRA_CA_CERTS: ca.caFile },
        });
        peers.push({ close: async () => p.cleanup() });

        const run = await runHostile(
          p.env,
          ['--opensearch', os.url, '--postgres', `127.0.0.1:${pg.port}`, '--postgres-user', 'zeebe'],
          { timeoutS: TIMEOUT_S },
        ).catch((e: Error) => {
          throw new Error(`seed ${SEED + i} (${log.join(' ')}): ${e.message}`);
        });
        const checks = run.report.checks.map((c) => `${c.id}:${c.status}:${c.durationMs}ms`).join(' ');
        const why = `seed ${SEED + i}, peers did: ${log.join(' ')}; run ${run.report.durationMs} ms, exit ${Math.round(run.runToExitMs)} ms after its start, checks: ${checks}`;
        expect(run.stdout, why).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        expect(run.stderr, why).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        // A check may only be cut off as `error` when the run's deadline passed.
        const errored = run.report.checks.filter(
          (c) => c.status === 'error' && !/run deadline/.test(c.error ?? ''),
        );
        expect(
          errored.map((c) => `${c.id}: ${c.error}`),
          why,
        ).toEqual([]);
        expect(run.runToExitMs, why).toBeLessThan(TIMEOUT_S * 1000 + 1000);
        expect([0, 1], why).toContain(run.code);
        // No pass from a peer that only ever sent garbage: random bytes, a closed connection, silence,
        // or random bytes under some HTTP status.
        const modesOf = (who: string) =>
          log.filter((l) => l.startsWith(`${who}:`)).map((l) => l.slice(who.length + 1));
        const garbageOnly = (who: string) => {
          const modes = modesOf(who);
          return (
            modes.length > 0 &&
            modes.every((m) => ['random', 'close', 'hang'].includes(m) || m.endsWith('-random'))
          );
        };
        const PASS = { sts: 'STS-OK', oidc: 'OIDC-OK', podid: 'PODID-OK', opensearch: 'OS-OK' } as const;
        for (const [who, code] of Object.entries(PASS))
          if (garbageOnly(who)) expect(run.finding(code), `${who} sent garbage only; ${why}`).toBeUndefined();
        // IMDS's pass is IMDS-BLOCKED: something that answers in bytes that are not HTTP allows no verdict.
        const imdsModes = modesOf('imds');
        if (imdsModes.length > 0 && imdsModes.every((m) => m === 'random'))
          expect(run.finding('IMDS-BLOCKED'), `imds sent random bytes only; ${why}`).toBeUndefined();
        // The PostgreSQL front never speaks PostgreSQL.
        expect(run.finding('PG-LOGIN-OK'), why).toBeUndefined();
      } finally {
        for (const peer of peers.reverse()) await peer.close();
      }
    });
  }
});
