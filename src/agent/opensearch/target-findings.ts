// Findings about an --opensearch value itself, before any request: a bad URL, no region, a region the pod
// would sign wrong.
import { fail, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import { type OpenSearchTarget, parseOpenSearchTarget } from './parse-opensearch-target.js';

export function parseTarget(ctx: AgentContext, raw: string) {
  return parseOpenSearchTarget(raw, {
    serviceOverride: ctx.options.opensearchService,
    fallbackRegion: ctx.facts.region,
  });
}

/** Findings before any request: a bad URL, no region, a region the pod would sign wrong. */
export function targetFindings(
  ctx: AgentContext,
  raw: string,
): { target?: OpenSearchTarget; findings: Finding[] } {
  const parsed = parseTarget(ctx, raw);
  if (!parsed.ok)
    return {
      findings: [
        fail(
          'OS-TARGET-INVALID',
          `--opensearch "${raw}": ${parsed.reason}.`,
          'Pass the endpoint as https://HOST[:PORT], e.g. https://search-DOMAIN-ID.REGION.es.amazonaws.com.',
          {
            value: raw,
          },
        ),
      ],
    };
  const t = parsed.target;
  if (!t.region)
    return {
      findings: [
        fail(
          'OS-REGION-UNKNOWN',
          `No region to sign requests to ${t.url} for: the host name does not name one and neither --region nor AWS_REGION is set.`,
          "Pass --region with the domain's region, and set AWS_REGION in the application pods.",
          { url: t.url },
        ),
      ],
    };
  const findings: Finding[] = [];
  const podRegion = ctx.facts.region;
  if (t.hostRegion && podRegion && podRegion !== t.hostRegion)
    findings.push(
      warn(
        'OS-REGION-MISMATCH',
        `The pod's region is ${podRegion} but ${t.host} is in ${t.hostRegion}; the agent signs for ${t.hostRegion}, an application signing with AWS_REGION would not.`,
        `Set the application's OpenSearch region to ${t.hostRegion} (or AWS_REGION=${t.hostRegion} if it signs with the pod region).`,
        { url: t.url, podRegion, endpointRegion: t.hostRegion },
      ),
    );
  return { target: t, findings };
}
