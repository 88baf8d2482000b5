import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import { classifyNetError, type NetFailure } from './classify-net-error.js';

export interface TlsProbeOptions {
  /** Name the certificate must carry; defaults to the probed host (SNI is only sent for names, not IPs). */
  servername?: string;
  /** PEM bundle to verify against instead of the system roots (e.g. the RDS global bundle). */
  ca?: string;
  /** `postgres`: send the 8-byte SSLRequest first and expect 'S' (PostgreSQL's STARTTLS). */
  startTls?: 'postgres';
}

export interface TlsProbe {
  ok: boolean;
  /** The address the handshake ran against. */
  address: string;
  ms: number;
  /** PostgreSQL answered 'N' to SSLRequest: the server (or a proxy) offers no TLS at all. */
  refused?: boolean;
  protocol?: string;
  subject?: string;
  issuer?: string;
  /** subjectAltName entries, e.g. `DNS:x.rds.amazonaws.com`, `IP Address:10.0.0.1`. */
  sans?: string[];
  validFrom?: string;
  validTo?: string;
  expired?: boolean;
  /** Whether the certificate names the host the client dials (what verify-full checks). */
  hostnameMatch?: boolean;
  /** Chain verified against the given CA (or system roots); hostname is judged separately. */
  authorized?: boolean;
  /** OpenSSL's reason when not authorized, e.g. SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED. */
  authorizationError?: string;
  error?: NetFailure;
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** Runs a TLS handshake on an already connected socket and reports the certificate. Always consumes the socket. */
export async function tlsHandshake(
  socket: Socket,
  address: string,
  host: string,
  opts: TlsProbeOptions,
  ms: number,
  signal?: AbortSignal,
): Promise<TlsProbe> {
  const t0 = performance.now();
  const base = { address };
  const elapsed = () => Math.round(performance.now() - t0);
  try {
    if (opts.startTls === 'postgres') {
      const answer = await withDeadline(sslRequest(socket), ms, 'PostgreSQL SSLRequest', signal).catch(
        (e: unknown) => {
          if (!(e instanceof DeadlineError)) throw e;
          return 'timeout' as const;
        },
      );
      if (answer === 'timeout') {
        socket.destroy();
        const reason = "TCP connected, but nothing answered PostgreSQL's SSLRequest in time";
        return {
          ...base,
          ok: false,
          ms: elapsed(),
          error: { code: 'NET-TIMEOUT', phase: 'tls', errno: 'timeout', reason },
        };
      }
      if (answer === 'N') {
        socket.destroy();
        return { ...base, ok: false, refused: true, ms: elapsed() };
      }
      if (answer !== 'S') {
        socket.destroy();
        const reason = `the server answered ${JSON.stringify(answer)} to SSLRequest instead of S or N (not PostgreSQL?)`;
        return {
          ...base,
          ok: false,
          ms: elapsed(),
          error: { code: 'NET-TLS', phase: 'tls', errno: 'EPROTO', reason },
        };
      }
    }
    const name = opts.servername ?? host;
    const tls = tlsConnect({
      socket,
      host: name,
      ...(isIP(name) ? {} : { servername: name }),
      ...(opts.ca ? { ca: opts.ca } : {}),
      rejectUnauthorized: false,
      // Judge the chain here and the host name below, so each gets its own answer.
      checkServerIdentity: () => undefined,
    });
    const secured = new Promise<TLSSocket>((resolve, reject) => {
      tls.once('secureConnect', () => resolve(tls));
      tls.once('error', reject);
    });
    try {
      await withDeadline(secured, ms, 'TLS handshake', signal);
      return { ...base, ok: true, ms: elapsed(), ...describeCert(tls, name) };
    } finally {
      tls.destroy();
    }
  } catch (e) {
    socket.destroy();
    const error = classifyNetError(e, 'tls') ?? {
      code: 'NET-TLS' as const,
      phase: 'tls' as const,
      errno: 'unknown',
      reason: String(e),
    };
    return { ...base, ok: false, ms: elapsed(), error };
  }
}

function sslRequest(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (buf: Buffer) => {
      cleanup();
      // The answer is exactly one byte; the server sends nothing more until our ClientHello.
      resolve(buf.subarray(0, 1).toString('latin1'));
    };
    const onClose = () => {
      cleanup();
      reject(
        Object.assign(new Error('the server closed the connection after SSLRequest'), { code: 'ECONNRESET' }),
      );
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    socket.write(SSL_REQUEST);
  });
}

function describeCert(tls: TLSSocket, name: string): Partial<TlsProbe> {
  const cert = tls.getPeerCertificate();
  const protocol = tls.getProtocol() ?? undefined;
  if (!cert || Object.keys(cert).length === 0) {
    return { protocol, authorized: false, authorizationError: 'NO_PEER_CERTIFICATE', hostnameMatch: false };
  }
  const validTo = new Date(cert.valid_to);
  return {
    protocol,
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    sans: (cert.subjectaltname ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    validFrom: isoOrRaw(cert.valid_from),
    validTo: isoOrRaw(cert.valid_to),
    expired: Number.isFinite(validTo.getTime()) ? validTo.getTime() < Date.now() : undefined,
    hostnameMatch: checkServerIdentity(name, cert as PeerCertificate) === undefined,
    authorized: tls.authorized,
    ...(tls.authorizationError ? { authorizationError: String(tls.authorizationError) } : {}),
  };
}

function dn(name: PeerCertificate['subject'] | undefined): string | undefined {
  if (!name) return undefined;
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function isoOrRaw(s: string): string {
  const d = new Date(s);
  return Number.isFinite(d.getTime()) ? d.toISOString() : s;
}
