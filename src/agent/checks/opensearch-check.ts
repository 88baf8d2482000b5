import { fail, skip } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { chainCredentials } from '../facts/chain-credentials.js';
import { checkOpenSearchTarget, openSearchStepBudget } from '../opensearch/check-opensearch-target.js';
import { checkReachable } from '../opensearch/reachability.js';
import { targetFindings } from '../opensearch/target-findings.js';

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
        skip(
          'OS-NO-TARGET',
          'No OpenSearch endpoint given (--opensearch or IRSA_DOCTOR_OPENSEARCH); nothing to test.',
        ),
      ];
    const chain = await chainCredentials(ctx);
    const perTarget = await Promise.all(
      raws.map(async (raw) => {
        const { target, findings } = targetFindings(ctx, raw);
        if (!target?.region) return findings;
        const t = { ...target, region: target.region };
        if (chain.ok) return [...findings, ...(await checkOpenSearchTarget(ctx, t, chain))];
        // Without credentials nothing can be signed, but whether the endpoint is reachable still helps.
        const reach = await checkReachable(t, openSearchStepBudget(ctx), ctx.deadline.signal);
        return reach.finding ? [...findings, reach.finding] : findings;
      }),
    );
    const out = perTarget.flat();
    if (!chain.ok)
      out.unshift(
        fail(
          'OS-NO-CREDENTIALS',
          `No AWS credentials to sign OpenSearch requests with: ${chain.reason}.`,
          'Fix the credential chain first: run irsa-doctor check without --only and follow the identity (ENV-*, TOKEN-*, STS-*) and CHAIN-* findings.',
          { reason: chain.reason, detail: chain.detail },
        ),
      );
    return out;
  },
};
