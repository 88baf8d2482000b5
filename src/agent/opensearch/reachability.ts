// DNS, TCP and TLS before any signed request, through the shared probe, so an unreachable endpoint gets the
// same NET-* finding Postgres targets get, with the failing step named.
import type { Finding } from '../../report/types.js';
import { netFinding } from '../net/net-finding.js';
import { probeEndpoint } from '../net/probe-endpoint.js';
import { probeFailure } from '../net/probe-failure.js';
import { netTargetOf } from './network-finding.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

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
