// Findings about an --opensearch value itself, before any request: a bad URL, no region, a region the pod
// would sign wrong.
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import { region } from '../env/region.js';
import { type OpenSearchTarget, parseOpenSearchTarget } from './parse-opensearch-target.js';

/** Findings before any request: a bad URL, no region, a region the pod would sign wrong. */
export async function targetFindings(
  ctx: AgentContext,
  raw: string,
): Promise<{ target?: OpenSearchTarget; findings: Finding[] }> {
  const podRegion = (await region(ctx)).value;
  const parsed = parseOpenSearchTarget(raw, {
    serviceOverride: ctx.options.opensearchService,
    fallbackRegion: podRegion,
  });
  if (!parsed.ok)
    return {
      findings: [
        finding('OS-TARGET-INVALID', `--opensearch "${raw}": ${parsed.reason}.`, { details: { value: raw } }),
      ],
    };
  const t = parsed.target;
  if (!t.region)
    return {
      findings: [
        finding(
          'OS-REGION-UNKNOWN',
          `No region to sign requests to ${t.url} for: the host name does not name one and neither --region nor AWS_REGION is set.`,
          { details: { url: t.url } },
        ),
      ],
    };
  const findings: Finding[] = [];
  if (t.hostRegion && podRegion && podRegion !== t.hostRegion)
    findings.push(
      finding(
        'OS-REGION-MISMATCH',
        `The pod's region is ${podRegion} but ${t.host} is in ${t.hostRegion}; the agent signs for ${t.hostRegion}, an application signing with AWS_REGION would not.`,
        {
          fix: { endpointRegion: t.hostRegion },
          details: { url: t.url, podRegion, endpointRegion: t.hostRegion },
        },
      ),
    );
  return { target: t, findings };
}
