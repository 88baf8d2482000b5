// Endpoints that fail the way broken networks do: a listener that accepts and stays silent, a port
// nothing listens on.
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { IssuedCert } from '../harness/tls-ca.js';

/** Accepts TCP and never says a byte: a security group that lets SYN through to a dead listener. */
export async function silentServer(o: { afterSsl?: 'S' } = {}) {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    if (o.afterSsl) s.once('data', () => s.write(o.afterSsl!));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Completes TLS and reads the HTTP request, then never answers it. */
export async function silentHttpsServer(cert: IssuedCert) {
  const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req) => {
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
