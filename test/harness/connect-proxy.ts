// A forward proxy on loopback, written from the HTTP RFCs rather than from the agent library the product
// uses: CONNECT opens a TCP tunnel to the authority-form target and answers 2xx once it is open (RFC 9110
// 9.3.6), a request in absolute-form is forwarded to the host it names (RFC 9112 3.2.2), and a proxy that
// wants credentials answers 407 with Proxy-Authenticate and reads Proxy-Authorization (RFC 9110 11.7).
// Like a corporate egress proxy it can refuse targets (403) and reach targets the pod cannot (its own
// network view: `routes` maps the authority the client asked for to where the proxy really connects).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { listenLoopback } from './http-util.js';

export interface ProxyRequestRecord {
  /** CONNECT, or the method of a forwarded request */
  method: string;
  /** host:port the client asked for */
  target: string;
  /** the status the proxy answered (200 for an opened tunnel) */
  status: number;
  /** whether a Proxy-Authorization header came with it */
  sentCredentials: boolean;
}

export interface ConnectProxyOptions {
  /** require Basic credentials: 407 without them or with others */
  auth?: { user: string; password: string };
  /** targets (host:port) the proxy's policy refuses with 403 */
  deny?: (target: string) => boolean;
  /** the proxy's own network view: host:port asked for -> host:port it connects to */
  routes?: Record<string, string>;
}

export interface ConnectProxy {
  /** http://127.0.0.1:PORT (no credentials) */
  url: string;
  port: number;
  /** http://USER:PASSWORD@127.0.0.1:PORT with the given credentials */
  urlWith(user: string, password: string): string;
  requests: ProxyRequestRecord[];
  /** every target (host:port) the proxy was asked for */
  targets(): string[];
  close(): Promise<void>;
}

export async function startConnectProxy(opts: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const requests: ProxyRequestRecord[] = [];
  const tunnels = new Set<Duplex>();

  // 407 unless the Basic credentials are the configured ones (RFC 7617: base64 of user ":" password).
  const authorized = (req: IncomingMessage): boolean => {
    if (!opts.auth) return true;
    const header = req.headers['proxy-authorization'] ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!m) return false;
    return Buffer.from(m[1]!, 'base64').toString('utf8') === `${opts.auth.user}:${opts.auth.password}`;
  };
  const where = (target: string) => opts.routes?.[target] ?? target;
  const record = (req: IncomingMessage, target: string, status: number) =>
    requests.push({
      method: req.method ?? '',
      target,
      status,
      sentCredentials: req.headers['proxy-authorization'] !== undefined,
    });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Only absolute-form reaches a forward proxy as a plain request.
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
    } catch {
      record(req, String(req.url), 400);
      res.writeHead(400, { 'content-type': 'text/plain' }).end('absolute-form request expected\n');
      return;
    }
    const authority = `${target.hostname}:${target.port || '80'}`;
    if (!authorized(req)) {
      record(req, authority, 407);
      res
        .writeHead(407, { 'proxy-authenticate': 'Basic realm="loopback-proxy"', 'content-type': 'text/html' })
        .end('<html><body>Proxy Authentication Required</body></html>');
      return;
    }
    if (opts.deny?.(authority)) {
      record(req, authority, 403);
      res
        .writeHead(403, { 'content-type': 'text/html' })
        .end('<html><body>Access denied by policy</body></html>');
      return;
    }
    const [host, port] = splitAuthority(where(authority));
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host, port, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (up) => {
        record(req, authority, up.statusCode ?? 502);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      record(req, authority, 502);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const authority = req.url ?? '';
    const refuse = (status: number, reason: string, extra = '') => {
      record(req, authority, status);
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (!/^[^\s/]+:\d+$/.test(authority)) return refuse(400, 'Bad Request');
    if (!authorized(req))
      return refuse(
        407,
        'Proxy Authentication Required',
        'Proxy-Authenticate: Basic realm="loopback-proxy"\r\n',
      );
    if (opts.deny?.(authority)) return refuse(403, 'Forbidden');
    const [host, port] = splitAuthority(where(authority));
    const upstream = netConnect({ host, port });
    upstream.on('error', () => {
      if (!tunnels.has(upstream)) refuse(502, 'Bad Gateway');
      client.destroy();
    });
    upstream.once('connect', () => {
      tunnels.add(upstream);
      tunnels.add(client);
      record(req, authority, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      const drop = () => {
        upstream.destroy();
        client.destroy();
        tunnels.delete(upstream);
        tunnels.delete(client);
      };
      upstream.once('close', drop);
      client.once('close', drop);
    });
  });

  const l = await listenLoopback(server);
  const base = `127.0.0.1:${l.port}`;
  return {
    url: `http://${base}`,
    port: l.port,
    urlWith: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${base}`,
    requests,
    targets: () => requests.map((r) => r.target),
    async close() {
      for (const t of tunnels) t.destroy();
      await l.close();
    },
  };
}

function splitAuthority(authority: string): [string, number] {
  const i = authority.lastIndexOf(':');
  return [authority.slice(0, i).replace(/^\[|\]$/g, ''), Number(authority.slice(i + 1))];
}
