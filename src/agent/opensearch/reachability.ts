// DNS, TCP and TLS before any signed request, through the shared probe, so an unreachable endpoint gets the
// same NET-* finding Postgres targets get, with the failing step named.
import type { Finding } from '../../report/types.js';
import { classifyNetError, type NetFailure } from '../net/classify-net-error.js';
import { netFinding } from '../net/net-finding.js';
import { type EndpointProbe, probeEndpoint } from '../net/probe-endpoint.js';
import { netTargetOf } from './network-finding.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

/** The first failing step of a probe, or undefined when DNS, TCP and (for https) TLS all succeeded. */
export function probeFailure(p: EndpointProbe, https: boolean): NetFailure | undefined {
  if (!p.dns.ok) return p.dns.error;
  if (!p.tcp.some((t) => t.ok)) return p.tcp[0]?.error;
  if (!https) return undefined;
  const tls = p.tls;
  if (!tls) return undefined;
  if (tls.error) return tls.error;
  if (!tls.ok) return { code: 'NET-TLS', phase: 'tls', errno: 'unknown', reason: 'the TLS handshake failed' };
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

export async function checkReachable(
  t: OpenSearchTarget,
  stepMs: number,
  signal?: AbortSignal,
): Promise<{ finding?: Finding; addresses: string[] }> {
  const https = t.url.startsWith('https:');
  const probe = await probeEndpoint({
    host: t.host,
    port: t.port,
    ...(https ? { tls: {} } : {}),
    deadlineMs: stepMs,
    signal,
  });
  const addresses = probe.dns.ok ? probe.dns.addresses.map((a) => a.address) : [];
  const f = probeFailure(probe, https);
  if (!f) return { addresses };
  const finding = netFinding(
    f,
    `OpenSearch ${t.url} could not be reached (${f.phase}): ${f.reason}.`,
    netTargetOf(t),
    {
      details: {
        url: t.url,
        phase: f.phase,
        errno: f.errno,
        ...(addresses.length ? { addresses } : {}),
        ...(probe.tls?.subject
          ? { certificateSubject: probe.tls.subject, certificateSans: probe.tls.sans }
          : {}),
      },
    },
  );
  return { finding, addresses };
}
