// Small plumbing shared by the identity emulators: loopback listen/close that never leaks sockets,
// body reading, and an HTTPS GET that reports the certificate chain like STS sees it.
import type { IncomingMessage, Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Listening {
  port: number;
  /** resolves when the server is closed; open sockets (even hung ones) are destroyed */
  close(): Promise<void>;
}

export async function listenLoopback(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface TlsFetchResult {
  status: number;
  body: string;
  /** lowercase hex SHA-1 of the top certificate of the chain the server presented (or Node completed) */
  topThumbprint: string;
  /** whether the chain validated against the given CA */
  authorized: boolean;
}

/** GET over HTTPS trusting only `caPem`; validation failures are reported, not thrown, so the caller can fall back to thumbprints. */
export function tlsGet(url: string, caPem: string, timeoutMs: number): Promise<TlsFetchResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: 'GET', ca: caPem, rejectUnauthorized: false, agent: false },
      (res) => {
        const socket = res.socket as TLSSocket;
        let cert = socket.getPeerCertificate(true);
        while (cert.issuerCertificate && cert.issuerCertificate.fingerprint !== cert.fingerprint)
          cert = cert.issuerCertificate;
        const topThumbprint = (cert.fingerprint ?? '').replace(/:/g, '').toLowerCase();
        const authorized = socket.authorized;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, topThumbprint, authorized }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export function xmlEscape(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

function applyEnv(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Runs fn with process.env patched (undefined deletes), restoring it afterwards; for SDK chain tests. */
export async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  applyEnv(env);
  try {
    return await fn();
  } finally {
    applyEnv(saved);
  }
}
