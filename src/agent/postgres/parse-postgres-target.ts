import { isIP } from 'node:net';

export const DEFAULT_POSTGRES_PORT = 5432;

export interface PostgresTarget {
  /** Exactly what the agent dials and signs the token for (no brackets around IPv6). */
  host: string;
  port: number;
  /**
   * libpq's hostaddr: the IP to dial instead of resolving host (split-horizon DNS, one instance of a
   * cluster, a tunnel). TLS verification and the IAM token still name host, as with libpq.
   */
  address?: string;
  /** As given on the command line, for messages. */
  raw: string;
}

/**
 * Parses `HOST[:PORT]`, `[IPv6]:PORT`, and, because people paste them, the JDBC/libpq URLs the
 * Camunda charts use (`jdbc:aws-wrapper:postgresql://host:5432/db?wrapperPlugins=iam`).
 */
export function parsePostgresTarget(
  raw: string,
): { ok: true; target: PostgresTarget } | { ok: false; problem: string } {
  let s = raw.trim();
  if (s === '') return { ok: false, problem: 'the target is empty' };
  s = s.replace(/^jdbc:(?:aws-wrapper:)?/i, '').replace(/^postgres(?:ql)?:\/\//i, '');
  const hostaddr = /[?&]hostaddr=([^&#]*)/i.exec(s)?.[1];
  const address = hostaddr === undefined ? undefined : decodeURIComponent(hostaddr).replace(/^\[|\]$/g, '');
  if (address !== undefined && !isIP(address))
    return {
      ok: false,
      problem: `hostaddr "${address}" is not an IP address (libpq takes a numeric address there)`,
    };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s))
    return { ok: false, problem: `"${raw}" is a URL of another scheme; give HOST[:PORT]` };
  s = s.replace(/[/?#].*$/, '').replace(/^[^@]*@/, '');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(s) === 6) {
    host = s;
  } else {
    const i = s.lastIndexOf(':');
    host = i < 0 ? s : s.slice(0, i);
    portText = i < 0 ? undefined : s.slice(i + 1);
  }
  host = host.replace(/\.$/, '').toLowerCase();
  if (host === '') return { ok: false, problem: `"${raw}" has no host` };
  if (!isIP(host) && !/^[a-z0-9]([a-z0-9-]{0,62})?(\.[a-z0-9_]([a-z0-9_-]{0,62})?)*$/.test(host)) {
    return { ok: false, problem: `"${host}" is not a valid host name` };
  }
  let port = DEFAULT_POSTGRES_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, problem: `port "${portText}" is not a number between 1 and 65535` };
    }
    port = Number(portText);
  }
  return { ok: true, target: { host, port, ...(address ? { address } : {}), raw } };
}

export type RdsEndpointKind = 'cluster' | 'cluster-ro' | 'cluster-custom' | 'instance' | 'proxy';

export interface RdsHostInfo {
  region: string;
  partition: string;
  kind: RdsEndpointKind;
  /**
   * The DB cluster identifier (cluster, cluster-ro), DB instance identifier (instance), custom endpoint
   * or proxy name: the first label of the host name.
   */
  identifier: string;
}

const RDS_HOST_RE =
  /^([a-z][a-z0-9-]*)\.(?:endpoint\.)?(cluster-ro-|cluster-custom-|cluster-|proxy-)?[a-z0-9]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.rds\.amazonaws\.com(\.cn)?$/;

/** What an Aurora/RDS endpoint name says about itself; undefined for any other name (CNAMEs, IPs). */
export function rdsHostInfo(host: string): RdsHostInfo | undefined {
  const m = RDS_HOST_RE.exec(host.toLowerCase());
  if (!m) return undefined;
  const kinds: Record<string, RdsEndpointKind> = {
    'cluster-': 'cluster',
    'cluster-ro-': 'cluster-ro',
    'cluster-custom-': 'cluster-custom',
    'proxy-': 'proxy',
  };
  const region = m[3]!;
  const partition = m[4] ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { identifier: m[1]!, kind: m[2] ? kinds[m[2]]! : 'instance', region, partition };
}

/** Region the token must be signed for: the endpoint's own region wins over the pod's configuration. */
export function postgresRegion(
  host: string,
  configured: string | undefined,
): { region: string; source: 'host name' | 'configuration' } | undefined {
  const info = rdsHostInfo(host);
  if (info) return { region: info.region, source: 'host name' };
  return configured ? { region: configured, source: 'configuration' } : undefined;
}

/** Names that never exist in DNS (RFC 6761/2606), so asking DNS servers about them is pointless. */
export function isSpecialUseName(host: string): boolean {
  return (
    /(^|\.)(localhost|invalid|test|example|local)$/i.test(host) || isIP(host) !== 0 || !host.includes('.')
  );
}
