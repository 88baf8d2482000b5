import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { withDeadline } from '../../lib/deadline.js';
import { type AddressScope, addressScope, isPrivateAddress } from './address-scope.js';
import { classifyNetError, type NetFailure } from './classify-net-error.js';
import { type TlsProbe, type TlsProbeOptions, tlsHandshake } from './tls-handshake.js';

export interface ProbeAddress {
  address: string;
  family: 4 | 6;
  /** Not internet-routable (RFC 1918, 100.64/10, loopback, link-local, ULA). */
  private: boolean;
  scope: AddressScope;
}

export type DnsProbe =
  | { ok: true; addresses: ProbeAddress[]; ms: number }
  | { ok: false; error: NetFailure; ms: number };

export interface TcpProbe {
  address: string;
  family: 4 | 6;
  ok: boolean;
  ms: number;
  error?: NetFailure;
}

export interface EndpointProbe {
  host: string;
  port: number;
  dns: DnsProbe;
  /** One connect per resolved address, in resolver order. Empty when DNS failed. */
  tcp: TcpProbe[];
  /** Present when TLS was asked for and some address accepted TCP. */
  tls?: TlsProbe;
}

export interface ProbeOptions {
  host: string;
  port: number;
  /** Dial this IP instead of resolving host (libpq's hostaddr); TLS still verifies host. */
  address?: string;
  /** Probe TLS too: direct (HTTPS) or, for PostgreSQL, after an SSLRequest on the TCP stream. */
  tls?: TlsProbeOptions;
  /** Budget for EACH step (DNS, TCP connect, TLS handshake); a blackholed port costs one of these. */
  deadlineMs: number;
  signal?: AbortSignal;
}

/**
 * DNS, then a TCP connect to every address, then a TLS handshake on the first address that
 * answered: the nmap-free answer to "can this pod reach that endpoint, and what answers there".
 * Never throws for network outcomes; each step records its own failure.
 */
export async function probeEndpoint(opts: ProbeOptions): Promise<EndpointProbe> {
  const { host, port } = opts;
  const dns = await resolveAll(opts.address ?? host, opts.deadlineMs, opts.signal);
  if (!dns.ok) return { host, port, dns, tcp: [] };
  const sockets = new Map<string, Socket>();
  const tcp = await Promise.all(
    dns.addresses.map(async (a): Promise<TcpProbe> => {
      const t0 = performance.now();
      try {
        const socket = await tcpConnect(a.address, port, opts.deadlineMs, opts.signal);
        sockets.set(a.address, socket);
        return { address: a.address, family: a.family, ok: true, ms: since(t0) };
      } catch (e) {
        return {
          address: a.address,
          family: a.family,
          ok: false,
          ms: since(t0),
          error: netFailure(e, 'tcp'),
        };
      }
    }),
  );
  const first = tcp.find((t) => t.ok);
  let tls: TlsProbe | undefined;
  try {
    if (first && opts.tls) {
      const socket = sockets.get(first.address)!;
      sockets.delete(first.address);
      tls = await tlsHandshake(socket, first.address, host, opts.tls, opts.deadlineMs, opts.signal);
    }
  } finally {
    for (const s of sockets.values()) s.destroy();
  }
  return { host, port, dns, tcp, ...(tls ? { tls } : {}) };
}

async function resolveAll(host: string, ms: number, signal?: AbortSignal): Promise<DnsProbe> {
  const literal = isIP(host.replace(/^\[|\]$/g, ''));
  if (literal) {
    const address = host.replace(/^\[|\]$/g, '');
    return { ok: true, addresses: [describe(address, literal as 4 | 6)], ms: 0 };
  }
  const t0 = performance.now();
  try {
    // getaddrinfo, as pg, the JDBC driver and the OpenSearch client use: /etc/hosts and search domains apply.
    const found = await withDeadline(
      lookup(host, { all: true, order: 'verbatim' }),
      ms,
      `DNS lookup of ${host}`,
      signal,
    );
    if (found.length === 0) {
      const error: NetFailure = {
        code: 'NET-DNS',
        phase: 'dns',
        errno: 'ENODATA',
        reason: 'the name has no A/AAAA record',
      };
      return { ok: false, error, ms: since(t0) };
    }
    const unique = [...new Map(found.map((f) => [f.address, f])).values()];
    return { ok: true, addresses: unique.map((f) => describe(f.address, f.family as 4 | 6)), ms: since(t0) };
  } catch (e) {
    return { ok: false, error: netFailure(e, 'dns'), ms: since(t0) };
  }
}

function describe(address: string, family: 4 | 6): ProbeAddress {
  return { address, family, private: isPrivateAddress(address), scope: addressScope(address) };
}

/** Resolves with a connected socket, or rejects with the connect error / a DeadlineError. */
export function tcpConnect(address: string, port: number, ms: number, signal?: AbortSignal): Promise<Socket> {
  const socket = netConnect({ host: address, port, autoSelectFamily: false });
  const connected = new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
  return withDeadline(connected, ms, `TCP connect to ${address}:${port}`, signal).then(
    (s) => {
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      return s;
    },
    (e: unknown) => {
      socket.destroy();
      throw e;
    },
  );
}

function netFailure(e: unknown, phase: 'dns' | 'tcp'): NetFailure {
  return (
    classifyNetError(e, phase) ?? {
      code: phase === 'dns' ? 'NET-DNS' : 'NET-UNREACHABLE',
      phase,
      errno: 'unknown',
      reason: e instanceof Error ? e.message : String(e),
    }
  );
}

function since(t0: number): number {
  return Math.round(performance.now() - t0);
}
