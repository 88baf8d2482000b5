import { proxyRoute } from '../../lib/proxy/proxy-route.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { chainCredentials } from '../chain/chain-credentials.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { withPath } from '../net/path-findings.js';
import { checkOpenSearchTarget, openSearchStepBudget } from './check-opensearch-target.js';
import { checkReachable } from './reachability.js';
import { targetFindings } from './target-findings.js';

/**
 * Signs requests to each --opensearch endpoint with the credentials an application in this pod really gets
 * (the default chain), and names the layer that refuses: network, SigV4, the domain access policy, the role's
 * policy, fine-grained access control, or the Serverless data access policy.
 */
export const opensearchCheck: Check = {
  id: 'opensearch',
  title: 'Amazon OpenSearch with the pod identity',
  async run(ctx: AgentContext): Promise<Finding[]> {
    const raws = ctx.options.opensearch;
    if (raws.length === 0)
      return [
        finding(
          'OS-NO-TARGET',
          'No OpenSearch endpoint given (--opensearch or IRSA_DOCTOR_OPENSEARCH); nothing to test.',
        ),
      ];
    const chain = await chainCredentials(ctx);
    const perTarget = await Promise.all(
      raws.map(async (raw) => {
        const { target, findings } = await targetFindings(ctx, raw);
        if (!target?.region) return findings;
        const t = { ...target, region: target.region };
        if (chain.ok) return [...findings, ...(await checkOpenSearchTarget(ctx, t, chain))];
        // Without credentials nothing can be signed, but whether the endpoint is reachable directly still
        // helps; through a proxy only a request could tell, and none can be signed.
        const route = proxyRoute(ctx.env, t.url);
        if (route.via !== 'direct') return findings;
        const reach = await checkReachable(t, openSearchStepBudget(ctx), ctx.deadline.signal);
        return reach.finding ? [...findings, ...withPath([reach.finding], route)] : findings;
      }),
    );
    const out = perTarget.flat();
    if (!chain.ok)
      out.unshift(
        finding(
          'OS-NO-CREDENTIALS',
          `No AWS credentials to sign OpenSearch requests with: ${chain.reason}.`,
          {
            details: { reason: chain.reason, detail: chain.detail },
          },
        ),
      );
    return out;
  },
};
