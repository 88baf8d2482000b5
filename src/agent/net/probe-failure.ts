import { classifyNetError, type NetFailure } from './classify-net-error.js';
import type { EndpointProbe } from './probe-endpoint.js';

/**
 * The first failing step of a probe, or undefined when DNS, TCP and (for https) TLS all succeeded.
 * `judgeCertificate: false` asks only whether the host was reached: a completed handshake counts
 * whatever the certificate says.
 */
export function probeFailure(
  p: EndpointProbe,
  https: boolean,
  opts: { judgeCertificate?: boolean } = {},
): NetFailure | undefined {
  if (!p.dns.ok) return p.dns.error;
  if (!p.tcp.some((t) => t.ok)) return p.tcp[0]?.error;
  if (!https) return undefined;
  const tls = p.tls;
  if (!tls) return undefined;
  if (tls.error) return tls.error;
  if (!tls.ok) return { code: 'NET-TLS', phase: 'tls', errno: 'unknown', reason: 'the TLS handshake failed' };
  if (opts.judgeCertificate === false) return undefined;
  if (tls.authorized === false) {
    const errno = tls.authorizationError ?? 'CERT_UNTRUSTED';
    return (
      classifyNetError(Object.assign(new Error(errno), { code: errno }), 'tls') ?? {
        code: 'NET-TLS',
        phase: 'tls',
        errno,
        reason: `the server certificate was not accepted (${errno})`,
      }
    );
  }
  if (tls.hostnameMatch === false)
    return {
      code: 'NET-TLS',
      phase: 'tls',
      errno: 'ERR_TLS_CERT_ALTNAME_INVALID',
      reason: `the server certificate does not name ${p.host} (it names ${tls.sans?.join(', ') || tls.subject || 'nothing'})`,
    };
  return undefined;
}
