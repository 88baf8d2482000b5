// The router against the loopback proxy of the harness (written from the RFCs, not from the agent
// library): CONNECT for https, absolute-form for http, direct where the rules say, and what the proxy
// did recorded so a check can name the proxy rather than the target.
import { createServer as createHttpServer, get as httpGet } from 'node:http';
import { createServer as createHttpsServer, get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyRouter } from '../../../../src/lib/proxy/proxy-router.js';
import { redact } from '../../../../src/lib/redact.js';
import { type ConnectProxy, startConnectProxy } from '../../../harness/connect-proxy.js';
import { closedPort } from '../../../harness/net-fixtures.js';
import { createTestCa, type TestCa } from '../../../harness/tls-ca.js';

let ca: TestCa;
let plain: ReturnType<typeof createHttpServer>;
let secure: ReturnType<typeof createHttpsServer>;
let plainPort: number;
let securePort: number;

beforeAll(async () => {
  ca = await createTestCa();
  const cert = await ca.issue(['127.0.0.1']);
  plain = createHttpServer((_req, res) => res.end('plain'));
  secure = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.end('secure'));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  plainPort = (plain.address() as AddressInfo).port;
  securePort = (secure.address() as AddressInfo).port;
});
afterAll(async () => {
  plain.closeAllConnections();
  secure.closeAllConnections();
  await new Promise((r) => plain.close(r));
  await new Promise((r) => secure.close(r));
  ca.cleanup();
});

function fetchVia(router: ProxyRouter, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { agent: router.agentFor(url), ca: ca.caCertPem }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('ProxyRouter', () => {
  let proxy: ConnectProxy;
  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(() => proxy.close());

  it('tunnels https with CONNECT and forwards http in absolute-form', async () => {
    const router = new ProxyRouter({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
    try {
      expect(await fetchVia(router, `https://127.0.0.1:${securePort}/`)).toEqual({
        status: 200,
        body: 'secure',
      });
      expect(await fetchVia(router, `http://127.0.0.1:${plainPort}/x`)).toEqual({
        status: 200,
        body: 'plain',
      });
    } finally {
      router.destroy();
    }
    expect(proxy.requests.slice(-2).map((r) => [r.method, r.target, r.status])).toEqual([
      ['CONNECT', `127.0.0.1:${securePort}`, 200],
      ['GET', `127.0.0.1:${plainPort}`, 200],
    ]);
  });

  it('goes direct for NO_PROXY hosts and records no proxy failure', async () => {
    const before = proxy.requests.length;
    const router = new ProxyRouter({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    try {
      expect((await fetchVia(router, `https://127.0.0.1:${securePort}/`)).body).toBe('secure');
      expect(router.failure()).toBeUndefined();
    } finally {
      router.destroy();
    }
    expect(proxy.requests.length).toBe(before);
  });

  it('names a proxy that is down, not the target', async () => {
    const port = await closedPort();
    const router = new ProxyRouter({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
    try {
      await expect(fetchVia(router, `https://127.0.0.1:${securePort}/`)).rejects.toThrow();
      expect(router.failure()).toMatchObject({
        kind: 'unreachable',
        proxy: `http://127.0.0.1:${port}`,
        target: `127.0.0.1:${securePort}`,
        errno: 'ECONNREFUSED',
      });
    } finally {
      router.destroy();
    }
  });

  it('records 407 for CONNECT and for forwarded requests, and never shows the password', async () => {
    const locked = await startConnectProxy({ auth: { user: 'alice', password: 'right-password' } });
    const wrong = locked.urlWith('alice', 'canary-Pr0xy-pass');
    const router = new ProxyRouter({ HTTPS_PROXY: wrong, HTTP_PROXY: wrong });
    try {
      const tunnel = await fetchVia(router, `https://127.0.0.1:${securePort}/`);
      expect(tunnel.status).toBe(407);
      expect(router.failure()).toMatchObject({
        kind: 'auth',
        status: 407,
        proxy: `http://alice@127.0.0.1:${locked.port}`,
      });
      const forward = await fetchVia(router, `http://127.0.0.1:${plainPort}/`);
      expect(forward.status).toBe(407);
      expect(router.failure()).toMatchObject({ kind: 'auth', authenticate: 'Basic realm="loopback-proxy"' });
      expect(redact(JSON.stringify(router.events))).not.toContain('canary-Pr0xy-pass');
      expect(redact(`the proxy ${wrong} failed, password canary-Pr0xy-pass`)).not.toContain(
        'canary-Pr0xy-pass',
      );
    } finally {
      router.destroy();
      await locked.close();
    }
    const right = await startConnectProxy({ auth: { user: 'alice', password: 'right-password' } });
    const ok = new ProxyRouter({ HTTPS_PROXY: right.urlWith('alice', 'right-password') });
    try {
      expect((await fetchVia(ok, `https://127.0.0.1:${securePort}/`)).body).toBe('secure');
      expect(ok.failure()).toBeUndefined();
    } finally {
      ok.destroy();
      await right.close();
    }
  });

  it('records a refused CONNECT with its status', async () => {
    const strict = await startConnectProxy({ deny: () => true });
    const router = new ProxyRouter({ HTTPS_PROXY: strict.url });
    try {
      expect((await fetchVia(router, `https://127.0.0.1:${securePort}/`)).status).toBe(403);
      expect(router.failure()).toMatchObject({ kind: 'refused', status: 403 });
    } finally {
      router.destroy();
      await strict.close();
    }
  });

  it('refuses to route through an unusable proxy setting', () => {
    const router = new ProxyRouter({ HTTPS_PROXY: 'socks5://p:1080' });
    expect(() => router.pick('example.com', 443, true)).toThrow(/HTTPS_PROXY is a socks5: URL/);
    router.destroy();
  });
});
