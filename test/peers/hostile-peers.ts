// Peers that misbehave on purpose, written for issue 9: bodies of hundreds of megabytes streamed with
// backpressure, bytes that are not the protocol asked for, answers cut off mid-way, and a PostgreSQL
// front that completes TLS and then sends whatever a test scripts. None of them verifies anything: they
// exist to show the agent stays bounded in time and memory and names what answered.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { IssuedCert } from '../harness/tls-ca.js';

/** What a peer does with one request. */
export type HostileAnswer =
  | { status: number; headers?: Record<string, string>; body: string | Buffer }
  /** `bytes` of `fill` (default "A"), streamed in 64 KiB chunks; without Content-Length unless `declare`. */
  | { status: number; headers?: Record<string, string>; stream: number; fill?: string; declare?: boolean }
  /** Raw bytes on the socket instead of any HTTP, then the socket is closed (or left open with `hold`). */
  | { raw: Buffer; hold?: boolean }
  | 'hang'
  | 'close';

export interface HostilePeer {
  url: string;
  port: number;
  /** Requests seen: method, path, and whether they carried an Authorization header. */
  seen: Array<{ method: string; path: string; authorized: boolean; body: string }>;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** Writes `bytes` of `fill` with backpressure, stopping when the client goes away. */
export function streamFill(res: ServerResponse | Socket, bytes: number, fill = 'A'): void {
  const chunk = Buffer.alloc(CHUNK, fill);
  let left = bytes;
  let stopped = false;
  res.on('close', () => {
    stopped = true;
  });
  const write = (): void => {
    while (left > 0 && !stopped) {
      const n = Math.min(left, CHUNK);
      left -= n;
      if (!res.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
        res.once('drain', write);
        return;
      }
    }
    if (!stopped) res.end();
  };
  write();
}

function answer(req: IncomingMessage, res: ServerResponse, a: HostileAnswer): void {
  if (a === 'hang') return;
  if (a === 'close') {
    req.socket.destroy();
    return;
  }
  if ('raw' in a) {
    req.socket.write(a.raw);
    if (!a.hold) req.socket.end();
    return;
  }
  if ('stream' in a) {
    res.writeHead(a.status, {
      ...(a.declare ? { 'content-length': String(a.stream) } : {}),
      ...(a.headers ?? {}),
    });
    streamFill(res, a.stream, a.fill);
    return;
  }
  res.writeHead(a.status, a.headers ?? {}).end(a.body);
}

/**
 * An HTTP (or, with `tls`, HTTPS) peer on loopback that answers every request as `route` says. The
 * request body is read first, so `route` sees it (STS actions travel in the POST body).
 */
export async function startHostilePeer(
  route: (req: { method: string; path: string; authorized: boolean; body: string }) => HostileAnswer,
  o: { tls?: IssuedCert } = {},
): Promise<HostilePeer> {
  const seen: HostilePeer['seen'] = [];
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      if (body.length < 65536) body += d;
    });
    req.on('end', () => {
      const r = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://x').pathname,
        authorized: Boolean(req.headers.authorization),
        body,
      };
      seen.push(r);
      answer(req, res, route(r));
    });
  };
  const server = o.tls
    ? createHttpsServer({ cert: o.tls.certPem, key: o.tls.keyPem }, handler)
    : createHttpServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/**
 * A TCP peer that, on each connection, runs `onSocket`: raw bytes, whatever the client says. With `tls`
 * it first plays the PostgreSQL SSLRequest exchange (8 bytes in, "S" out) and completes a TLS handshake,
 * then hands the encrypted socket over; that is the front a PostgreSQL client meets at a wrong port.
 */
export async function startRawPeer(
  onSocket: (s: Socket | TLSSocket) => void,
  o: { postgresTls?: IssuedCert } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const secureContext = o.postgresTls
    ? createSecureContext({ cert: o.postgresTls.certPem, key: o.postgresTls.keyPem })
    : undefined;
  const server: Server = createNetServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => undefined);
    raw.on('close', () => sockets.delete(raw));
    if (!secureContext) return onSocket(raw);
    let got = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length < 8) return;
      raw.removeListener('data', onData);
      // SSLRequest: length 8, code 80877103.
      if (got.readInt32BE(4) !== 80877103) return raw.destroy();
      raw.write('S');
      const tls = new TLSSocket(raw, { isServer: true, secureContext });
      tls.on('error', () => undefined);
      tls.once('secure', () => onSocket(tls));
    };
    raw.on('data', onData);
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
