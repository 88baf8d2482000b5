import type { ReportContext } from '../report/types.js';
import type { AgentContext } from './context.js';
import { mechanismOf } from './env/mechanism.js';
import { region } from './env/region.js';
import { podFacts } from './token/pod-facts.js';

/**
 * The report header, built after the checks from the same facts they awaited (computed now if no
 * check needed them; all local reads). Nothing here was written by a check.
 */
export async function reportContext(ctx: AgentContext): Promise<ReportContext> {
  const [where, pod] = await Promise.all([region(ctx), podFacts(ctx)]);
  const roleArn = ctx.env.AWS_ROLE_ARN?.trim();
  return {
    ...(pod.namespace ? { namespace: pod.namespace } : {}),
    ...(pod.serviceAccount ? { serviceAccount: pod.serviceAccount } : {}),
    ...(pod.pod ? { pod: pod.pod } : {}),
    ...(pod.node ? { node: pod.node } : {}),
    ...(where.value ? { region: where.value } : {}),
    mechanism: mechanismOf(ctx.env),
    ...(roleArn ? { roleArn } : {}),
  };
}
