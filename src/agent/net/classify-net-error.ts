import { DeadlineError } from '../../lib/deadline.js';

/** The network finding codes, one per way a connection fails (catalog: src/report/codes/net.ts). */
export type NetCode = 'NET-DNS' | 'NET-REFUSED' | 'NET-TIMEOUT' | 'NET-UNREACHABLE' | 'NET-RESET' | 'NET-TLS';

/**
 * Which step failed; the same errno means different things in DNS and in a TCP connect. `startup`: TCP
 * (and TLS) worked, the service's own protocol did not answer.
 */
export type NetPhase = 'dns' | 'tcp' | 'tls' | 'startup';

export interface NetFailure {
  code: NetCode;
  phase: NetPhase;
  /** errno / OpenSSL code as Node reports it (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED), or `timeout`. */
  errno: string;
  /** One line saying what the peer (or its absence) did. */
  reason: string;
}

const DNS_ERRNOS = new Set([
  'ENOTFOUND',
  'ENODATA',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_NODATA',
  'EAI_FAIL',
  'ESERVFAIL',
  'EREFUSED',
  'EBADNAME',
]);
const UNREACHABLE_ERRNOS = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EAFNOSUPPORT',
  'ENETDOWN',
  'EHOSTDOWN',
]);
const RESET_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
// Node surfaces OpenSSL verify results and its own TLS errors under these code shapes.
const TLS_CODE_RE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|EPROTO$|ERR_OSSL_)/;

function errnoOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Whether the error says time ran out (a deadline, an errno, or pg's words for its own timers). */
export function isTimeoutError(err: unknown): boolean {
  if (err instanceof DeadlineError) return true;
  const errno = errnoOf(err);
  if (errno === 'ETIMEDOUT' || errno === 'ETIMEOUT' || errno === 'ABORT_ERR') return true;
  const msg = err instanceof Error ? err.message : String(err);
  // pg's connectionTimeoutMillis and query_timeout say it in words only.
  return /timeout expired|connection timeout|timed out|read timeout/i.test(msg);
}

/**
 * Names a network failure by what the client received. `phase` says where it happened when the
 * caller knows; otherwise it is inferred (getaddrinfo -> dns, OpenSSL codes -> tls, else tcp).
 * Returns undefined for errors that are not network failures (e.g. a PostgreSQL ErrorResponse).
 */
export function classifyNetError(err: unknown, phase?: NetPhase): NetFailure | undefined {
  const errno = errnoOf(err);
  const syscall = err && typeof err === 'object' && 'syscall' in err ? String(err.syscall) : '';
  const inferred: NetPhase | undefined =
    phase ??
    (syscall === 'getaddrinfo' ||
    syscall.startsWith('query') ||
    (errno !== undefined && DNS_ERRNOS.has(errno))
      ? 'dns'
      : errno !== undefined && TLS_CODE_RE.test(errno)
        ? 'tls'
        : undefined);
  if (isTimeoutError(err)) {
    const at = inferred ?? 'tcp';
    if (at === 'dns') return dns('timeout', 'the DNS lookup did not answer in time');
    // Connected, then silence: something accepted the connection (a sidecar, proxy or load balancer)
    // but nothing answers behind it, which is the same fix as a dropped connect.
    if (at === 'tls')
      return {
        code: 'NET-TIMEOUT',
        phase: 'tls',
        errno: 'timeout',
        reason: 'TCP connected, but nothing answered the TLS handshake in time',
      };
    return {
      code: 'NET-TIMEOUT',
      phase: 'tcp',
      errno: 'timeout',
      reason: 'no answer to the TCP connect (packets dropped on the way)',
    };
  }
  if (inferred === 'dns') return dns(errno ?? 'unknown', dnsReason(errno));
  if (inferred === 'tls') {
    return { code: 'NET-TLS', phase: 'tls', errno: errno ?? 'unknown', reason: tlsReason(err, errno) };
  }
  if (errno === 'ECONNREFUSED')
    return {
      code: 'NET-REFUSED',
      phase: 'tcp',
      errno,
      reason: 'the connection was refused (nothing listens on that port, or a firewall rejects it)',
    };
  if (errno && UNREACHABLE_ERRNOS.has(errno))
    return { code: 'NET-UNREACHABLE', phase: 'tcp', errno, reason: `no route to the address (${errno})` };
  if (errno && RESET_ERRNOS.has(errno))
    return {
      code: phase === 'tls' ? 'NET-TLS' : 'NET-RESET',
      phase: phase ?? 'tcp',
      errno,
      reason: `the peer closed the connection (${errno})`,
    };
  if (phase === 'tls' || phase === 'tcp') {
    const msg = err instanceof Error ? err.message : String(err);
    return phase === 'tls'
      ? { code: 'NET-TLS', phase, errno: errno ?? 'unknown', reason: tlsReason(err, errno) }
      : {
          code: 'NET-UNREACHABLE',
          phase,
          errno: errno ?? 'unknown',
          reason: msg.split('\n')[0]!.slice(0, 200),
        };
  }
  return undefined;
}

function dns(errno: string, reason: string): NetFailure {
  return { code: 'NET-DNS', phase: 'dns', errno, reason };
}

function dnsReason(errno: string | undefined): string {
  switch (errno) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return "the name does not exist (NXDOMAIN) for this pod's resolver";
    case 'ENODATA':
    case 'EAI_NODATA':
      return 'the name exists but has no A/AAAA record';
    case 'EAI_AGAIN':
      return 'the DNS server did not give an answer (temporary failure; CoreDNS or the VPC resolver)';
    case 'ESERVFAIL':
    case 'EAI_FAIL':
      return 'the DNS server failed to resolve the name (SERVFAIL)';
    case 'EREFUSED':
      return 'the DNS server refused the query';
    default:
      return `the name did not resolve (${errno ?? 'unknown error'})`;
  }
}

function tlsReason(err: unknown, errno: string | undefined): string {
  const msg = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
  switch (errno) {
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet (check the pod clock)';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return `the server certificate does not name this host (${msg})`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_UNTRUSTED':
      return `the server certificate is not signed by a trusted CA (${errno})`;
    default:
      return `TLS handshake failed: ${msg}`;
  }
}

/** True for certificate-trust errors that only mean "no CA bundle was given to verify against". */
export function isUnknownIssuer(errno: string | undefined): boolean {
  return (
    errno === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    errno === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    errno === 'UNABLE_TO_GET_ISSUER_CERT' ||
    errno === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    errno === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    errno === 'CERT_UNTRUSTED'
  );
}
