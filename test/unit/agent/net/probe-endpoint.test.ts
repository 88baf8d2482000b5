import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeEndpoint } from '../../../../src/agent/net/probe-endpoint.js';
import { probeFindings } from '../../../../src/agent/net/probe-findings.js';
import { closedPort, startBlackhole } from '../../../../test/harness/net-fixtures.js';
import { createTestCa, type IssuedCert, type TestCa } from '../../../../test/harness/tls-ca.js';

// Loopback servers that answer like the real peers: HTTPS (direct TLS) and PostgreSQL (SSLRequest, then 'S' or 'N').
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}
function pgServer(cert: IssuedCert | undefined): Server {
  return createServer((raw: Socket) => {
    raw.on('error', () => undefined);
    raw.once('data', () => {
      if (!cert) return void raw.write('N');
      raw.write('S');
      const tls = new TLSSocket(raw, {
        isServer: true,
        secureContext: createSecureContext({ cert: cert.certPem, key: cert.keyPem }),
      });
      tls.on('error', () => undefined);
    });
  });
}

describe('probeEndpoint', () => {
  let ca: TestCa;
  const servers: Server[] = [];
  let good: IssuedCert;
  let expired: IssuedCert;
  beforeAll(async () => {
    ca = await createTestCa();
    good = await ca.issue(['127.0.0.1', 'localhost']);
    expired = await ca.issue(['127.0.0.1'], {
      notBefore: new Date(Date.now() - 3 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    ca?.cleanup();
  });
  const serve = async (s: Server) => {
    servers.push(s);
    return listen(s);
  };
  const opts = { deadlineMs: 500 };

  it('reports DNS, a timed connect and the certificate of a PostgreSQL TLS endpoint', async () => {
    const port = await serve(pgServer(good));
    const p = await probeEndpoint({
      host: 'localhost',
      port,
      tls: { startTls: 'postgres', ca: ca.caCertPem },
      ...opts,
    });
    expect(p.dns).toMatchObject({
      ok: true,
      addresses: [{ address: '127.0.0.1', family: 4, private: true, scope: 'loopback' }],
    });
    expect(p.tcp).toEqual([expect.objectContaining({ address: '127.0.0.1', ok: true })]);
    expect(p.tls).toMatchObject({
      ok: true,
      authorized: true,
      hostnameMatch: true,
      expired: false,
      subject: 'CN=127.0.0.1',
    });
    expect(p.tls?.sans).toEqual(['IP Address:127.0.0.1', 'DNS:localhost']);
    expect(
      probeFindings(p, { service: 'PostgreSQL', verifyTls: true }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-OK:pass']);
  });
  it('notices a host name the certificate does not carry', async () => {
    const port = await serve(pgServer(await ca.issue(['db.internal'])));
    const p = await probeEndpoint({
      host: '127.0.0.1',
      port,
      tls: { startTls: 'postgres', ca: ca.caCertPem },
      ...opts,
    });
    expect(p.tls).toMatchObject({ ok: true, authorized: true, hostnameMatch: false });
    expect(
      probeFindings(p, { service: 'PostgreSQL', verifyTls: true }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-TLS:fail']);
    expect(
      probeFindings(p, { service: 'PostgreSQL', verifyTls: false }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-OK:pass', 'NET-TLS:warn']);
  });
  it('fails an expired certificate even without a CA bundle', async () => {
    const tlsServer = createTlsServer({ cert: expired.certPem, key: expired.keyPem }, (s) => s.end());
    tlsServer.on('tlsClientError', () => undefined);
    const port = await serve(tlsServer);
    const p = await probeEndpoint({ host: '127.0.0.1', port, tls: {}, ...opts });
    expect(p.tls).toMatchObject({ ok: true, expired: true, authorized: false });
    expect(
      probeFindings(p, { service: 'OpenSearch', verifyTls: false }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-TLS:fail']);
  });
  it('accepts an unknown issuer only when no verification was asked for', async () => {
    const port = await serve(pgServer(good));
    const p = await probeEndpoint({ host: '127.0.0.1', port, tls: { startTls: 'postgres' }, ...opts });
    expect(p.tls).toMatchObject({ ok: true, authorized: false });
    expect(probeFindings(p, { service: 'PostgreSQL', verifyTls: false })[0]?.code).toBe('NET-OK');
  });
  it('records a PostgreSQL server that refuses TLS', async () => {
    const port = await serve(pgServer(undefined));
    const p = await probeEndpoint({ host: '127.0.0.1', port, tls: { startTls: 'postgres' }, ...opts });
    expect(p.tls).toMatchObject({ ok: false, refused: true });
    expect(
      probeFindings(p, { service: 'PostgreSQL', verifyTls: false }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-TLS:fail']);
  });
  it('names a closed port NET-REFUSED', async () => {
    const p = await probeEndpoint({
      host: '127.0.0.1',
      port: await closedPort(),
      tls: { startTls: 'postgres' },
      ...opts,
    });
    expect(p.tls).toBeUndefined();
    expect(p.tcp[0]?.error?.code).toBe('NET-REFUSED');
    expect(
      probeFindings(p, { service: 'PostgreSQL', verifyTls: false }).map((f) => `${f.code}:${f.status}`),
    ).toEqual(['NET-REFUSED:fail']);
  });
  it('bounds a blackhole to one deadline and names it NET-TIMEOUT with the SG rule to add', async () => {
    const hole = await startBlackhole();
    try {
      const p = await probeEndpoint({
        host: hole.host,
        port: hole.port,
        tls: { startTls: 'postgres' },
        ...opts,
      });
      expect(p.tls?.error).toMatchObject({ code: 'NET-TIMEOUT', phase: 'tls' });
      const [f] = probeFindings(p, { service: 'PostgreSQL', verifyTls: false });
      expect(f).toMatchObject({ code: 'NET-TIMEOUT', status: 'fail' });
      expect(f?.remediation).toContain(`--protocol tcp --port ${hole.port} --source-group`);
    } finally {
      await hole.close();
    }
  });
  it('names an unresolvable host NET-DNS', async () => {
    const p = await probeEndpoint({ host: 'no-such-cluster.invalid', port: 5432, ...opts });
    expect(p.dns).toMatchObject({ ok: false, error: { code: 'NET-DNS' } });
    expect(probeFindings(p, { service: 'PostgreSQL', verifyTls: false }).map((f) => f.code)).toEqual([
      'NET-DNS',
    ]);
  });
});
