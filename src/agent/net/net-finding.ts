import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { NetFailure } from './classify-net-error.js';

/** Where the failed connection went, for the fix. */
export interface NetTarget {
  service: 'PostgreSQL' | 'OpenSearch';
  host: string;
  port: number;
  /** every address the name resolved to is public: SG rules by source group cannot match */
  publicOnly?: boolean;
  /** OpenSearch domain name, when the host name gives it */
  domainName?: string;
}

/**
 * One NET-* finding for a failed connection step, with the fix that fits the service and what failed.
 * `status` is for the probes that judge several addresses (one failing among working ones only warns).
 */
export function netFinding(
  f: NetFailure,
  message: string,
  t: NetTarget,
  opts: { status?: 'fail' | 'warn' | 'info'; details?: Record<string, unknown> } = {},
): Finding {
  const fix = { host: t.host, port: t.port, service: t.service, domainName: t.domainName, errno: f.errno };
  const details = opts.details;
  const os = t.service === 'OpenSearch';
  const status = opts.status ?? 'fail';
  // Only an unreachable IPv6 address beside working IPv4 ones is a mere note; any other partial failure warns.
  const partial = status === 'info' ? 'warn' : status;
  switch (f.code) {
    case 'NET-DNS': {
      const resolver = ['EAI_AGAIN', 'timeout', 'ESERVFAIL', 'EREFUSED'].includes(f.errno);
      const variant = os ? 'opensearchDomain' : resolver ? 'resolver' : 'name';
      return finding('NET-DNS', message, { variant, fix, details });
    }
    case 'NET-REFUSED':
      return finding('NET-REFUSED', message, {
        status: partial,
        variant: os ? 'opensearch' : 'postgres',
        fix,
        details,
      });
    case 'NET-TIMEOUT': {
      const afterConnect = f.phase === 'tls' || f.phase === 'startup';
      return finding('NET-TIMEOUT', message, {
        status: partial,
        variant: os
          ? afterConnect && f.errno === 'timeout'
            ? 'opensearchNoTls'
            : 'opensearch'
          : f.phase === 'startup'
            ? // The connection (and TLS) worked: no security group or route is to blame.
              ['acceptedNoAnswer']
            : [
                ...(afterConnect ? ['acceptedNoAnswer' as const] : []),
                'securityGroup',
                ...(t.publicOnly ? ['publicAddresses' as const] : []),
              ],
        fix,
        details,
      });
    }
    case 'NET-UNREACHABLE':
      return finding('NET-UNREACHABLE', message, {
        status,
        variant: os ? 'opensearch' : 'route',
        fix,
        details,
      });
    case 'NET-RESET':
      return finding('NET-RESET', message, {
        status: partial,
        variant: os ? 'opensearch' : 'closed',
        fix,
        details,
      });
    case 'NET-TLS':
      return finding('NET-TLS', message, {
        status: partial,
        variant: tlsVariant(f, os),
        fix,
        details,
      });
  }
}

function tlsVariant(f: NetFailure, os: boolean) {
  if (!os) return 'postgresHandshake' as const;
  if (f.errno === 'ERR_TLS_CERT_ALTNAME_INVALID' || f.errno === 'HOSTNAME_MISMATCH')
    return 'opensearchName' as const;
  if (f.errno === 'CERT_HAS_EXPIRED' || f.errno === 'CERT_NOT_YET_VALID') return 'opensearchExpired' as const;
  return 'opensearchUntrusted' as const;
}
