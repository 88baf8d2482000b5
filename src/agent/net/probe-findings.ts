import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { NetCode } from './classify-net-error.js';
import { isUnknownIssuer } from './classify-net-error.js';
import { type NetTarget, netFinding } from './net-finding.js';
import type { EndpointProbe, TcpProbe } from './probe-endpoint.js';

export interface ProbeFindingOptions {
  /** What listens there, for messages and fixes. */
  service: NetTarget['service'];
  /**
   * The certificate must verify: a CA bundle was given (PostgreSQL --postgres-ca), or the service
   * uses publicly trusted certificates (OpenSearch). Without it an unknown issuer is only noted.
   */
  verifyTls: boolean;
  /** The CA the certificate is checked against, in words, for the message when it does not verify. */
  trustedBy?: string;
  /** Prefix for messages, e.g. `--postgres db.example:5432`; defaults to HOST:PORT. */
  label?: string;
}

/** Turns one probe into findings: one per distinct failure, or NET-OK. Pure. */
export function probeFindings(probe: EndpointProbe, opts: ProbeFindingOptions): Finding[] {
  const where = opts.label ?? `${probe.host}:${probe.port}`;
  const details = probeDetails(probe);
  const target: NetTarget = {
    service: opts.service,
    host: probe.host,
    port: probe.port,
    publicOnly: probe.dns.ok && probe.dns.addresses.every((a) => !a.private),
  };
  if (!probe.dns.ok) {
    const e = probe.dns.error;
    return [netFinding(e, `${where}: ${e.reason} (${e.errno}).`, target, { details })];
  }
  const findings: Finding[] = [];
  const ok = probe.tcp.filter((t) => t.ok);
  for (const [code, attempts] of groupFailures(probe.tcp)) {
    const e = attempts[0]!.error!;
    const addrs = attempts.map((a) => a.address).join(', ');
    const msg =
      ok.length === 0
        ? `${where}: TCP connect to ${addrs} failed: ${e.reason}.`
        : `${where}: ${attempts.length} of ${probe.tcp.length} addresses failed (${addrs}): ${e.reason}; clients that pick them will fail.`;
    // A pod without IPv6 routes cannot reach AAAA answers; clients fall back to IPv4, so that is only noted.
    const v6Only = attempts.every((a) => a.family === 6) && ok.some((a) => a.family === 4);
    const status = ok.length === 0 ? 'fail' : v6Only && code === 'NET-UNREACHABLE' ? 'info' : 'warn';
    findings.push(netFinding(e, msg, target, { status, details }));
  }
  if (ok.length === 0) return findings;
  const tlsFinding = judgeTls(probe, opts, target, where, details);
  if (tlsFinding) findings.push(tlsFinding);
  if (tlsFinding?.status === 'fail') return findings;
  const connect = ok.map((t) => `${t.address} in ${t.ms} ms`).join(', ');
  const tls = probe.tls?.ok
    ? `; TLS ${probe.tls.protocol ?? ''} with ${probe.tls.subject ?? 'a certificate'}`.replace('  ', ' ')
    : '';
  const scope = target.publicOnly ? ' (public addresses: traffic leaves the VPC)' : '';
  findings.unshift(finding('NET-OK', `${where}: TCP connect to ${connect}${scope}${tls}.`, { details }));
  return findings;
}

function groupFailures(tcp: TcpProbe[]): Map<NetCode, TcpProbe[]> {
  const groups = new Map<NetCode, TcpProbe[]>();
  for (const t of tcp) {
    if (t.ok || !t.error) continue;
    const list = groups.get(t.error.code) ?? [];
    list.push(t);
    groups.set(t.error.code, list);
  }
  return groups;
}

function judgeTls(
  probe: EndpointProbe,
  opts: ProbeFindingOptions,
  target: NetTarget,
  where: string,
  details: Record<string, unknown>,
): Finding | undefined {
  const t = probe.tls;
  if (!t) return undefined;
  const pg = opts.service === 'PostgreSQL';
  if (t.refused) {
    return finding(
      'NET-TLS',
      `${where}: the server answered "N" to PostgreSQL's SSLRequest: it offers no TLS. Aurora/RDS always does, so this is a proxy or another server; IAM authentication requires TLS.`,
      { status: 'fail', variant: 'noTls', details },
    );
  }
  if (!t.ok) {
    const e = t.error!;
    return netFinding(e, `${where}: ${e.reason}.`, target, { details });
  }
  if (t.expired || t.authorizationError === 'CERT_HAS_EXPIRED') {
    return finding('NET-TLS', `${where}: the server certificate expired on ${t.validTo}.`, {
      status: 'fail',
      variant: pg ? 'postgresExpired' : 'opensearchExpired',
      details,
    });
  }
  const verifyFailed = t.authorized === false && !(isUnknownIssuer(t.authorizationError) && !opts.verifyTls);
  if (verifyFailed) {
    return finding(
      'NET-TLS',
      `${where}: the certificate (${t.subject}, issued by ${t.issuer}) does not verify${opts.trustedBy ? ` against ${opts.trustedBy}` : ''}: ${t.authorizationError}.`,
      {
        status: 'fail',
        variant: pg ? 'postgresUntrusted' : 'opensearchUntrusted',
        fix: { host: probe.host },
        details,
      },
    );
  }
  if (t.hostnameMatch === false) {
    return finding(
      'NET-TLS',
      `${where}: the certificate names ${t.sans?.join(', ') || t.subject}, not ${probe.host}; clients that verify the host name (sslmode=verify-full, HTTPS) will refuse it.`,
      {
        status: opts.verifyTls ? 'fail' : 'warn',
        variant: 'otherName',
        fix: { certificateName: firstDnsName(t.sans) },
        details,
      },
    );
  }
  return undefined;
}

function firstDnsName(sans: string[] | undefined): string | undefined {
  return sans
    ?.find((s) => s.startsWith('DNS:'))
    ?.slice(4)
    .replace(/^\*\./, 'NAME.');
}

/** The facts behind network findings, no secrets. */
export function probeDetails(probe: EndpointProbe): Record<string, unknown> {
  const d: Record<string, unknown> = { host: probe.host, port: probe.port };
  if (probe.dns.ok)
    d.addresses = probe.dns.addresses.map((a) => ({
      address: a.address,
      family: a.family,
      private: a.private,
      scope: a.scope,
    }));
  else d.dns = { errno: probe.dns.error.errno, ms: probe.dns.ms };
  if (probe.tcp.length > 0)
    d.tcp = probe.tcp.map((t) => ({
      address: t.address,
      ok: t.ok,
      ms: t.ms,
      ...(t.error ? { error: t.error.errno } : {}),
    }));
  if (probe.tls) {
    const { error, ...rest } = probe.tls;
    d.tls = { ...rest, ...(error ? { error: error.errno, reason: error.reason } : {}) };
  }
  return d;
}
