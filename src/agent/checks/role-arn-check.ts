import { parseRoleArn, suggestedRoleArn, WEBHOOK_ROLE_ARN_RE } from '../../lib/arn.js';
import { fail, pass, skip, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { loadPodServiceAccount, loadToken } from '../facts/token.js';

/** The partition a region belongs to (REFERENCE section 5), by its name prefix. */
export function partitionOfRegion(region: string): string {
  const prefixes: Array<[string, string]> = [
    ['us-gov-', 'aws-us-gov'],
    ['cn-', 'aws-cn'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
    ['eusc-', 'aws-eusc'],
  ];
  return prefixes.find(([p]) => region.startsWith(p))?.[1] ?? 'aws';
}

/** Is AWS_ROLE_ARN a role ARN STS will accept? Says exactly what is wrong when not. */
export const roleArnCheck: Check = {
  id: 'role-arn',
  title: 'Role ARN (AWS_ROLE_ARN) is well formed',
  async run(ctx) {
    const raw = ctx.env.AWS_ROLE_ARN;
    if (raw === undefined)
      return [
        skip(
          'ARN-NOT-SET',
          ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
            ? 'No AWS_ROLE_ARN: EKS Pod Identity takes the role from the association, not from the pod.'
            : 'No AWS_ROLE_ARN to check (see the env check).',
        ),
      ];
    const webhookAccepts = WEBHOOK_ROLE_ARN_RE.test(raw);
    const parsed = parseRoleArn(raw);
    if (!parsed.ok) {
      const { ns, sa } = await whoAmI(ctx);
      const suggestion = suggestedRoleArn(raw);
      return [
        fail(
          'ARN-INVALID',
          `AWS_ROLE_ARN ${JSON.stringify(raw)} is not a valid IAM role ARN: ${parsed.problems.map((p) => p.message).join('; ')}. STS will answer ValidationError "Request ARN is invalid".`,
          `Set the ServiceAccount annotation to the role's exact ARN (aws iam get-role --role-name NAME --query Role.Arn), e.g. \`eks.amazonaws.com/role-arn: ${suggestion}\`: kubectl annotate sa ${sa} -n ${ns} eks.amazonaws.com/role-arn=${suggestion} --overwrite, then kubectl rollout restart deployment/NAME -n ${ns} (the webhook injects only when a pod is created). If the container sets AWS_ROLE_ARN itself, fix it there instead.`,
          {
            value: raw,
            problems: parsed.problems,
            webhookRegexMatches: webhookAccepts,
            ...(webhookAccepts
              ? {}
              : {
                  webhookNote: `amazon-eks-pod-identity-webhook checks ${WEBHOOK_ROLE_ARN_RE.source}; it logs the mismatch but still injects the value`,
                }),
          },
        ),
      ];
    }
    const { arn } = parsed;
    const findings: Finding[] = [
      pass(
        'ARN-VALID',
        `AWS_ROLE_ARN is a valid role ARN (role ${arn.name} in account ${arn.account})${webhookAccepts ? '' : "; the pod identity webhook's own regex rejects it (it logs that and still injects)"}.`,
        {
          ...arn,
          webhookRegexMatches: webhookAccepts,
        },
      ),
    ];
    const region = ctx.facts.region;
    if (region && partitionOfRegion(region) !== arn.partition) {
      findings.push(
        warn(
          'ARN-PARTITION-MISMATCH',
          `The role is in partition ${arn.partition} but the region ${region} belongs to ${partitionOfRegion(region)}.`,
          `Use the role ARN from partition ${partitionOfRegion(region)} (arn:${partitionOfRegion(region)}:iam::ACCOUNT:role/NAME) or set AWS_REGION to a region of ${arn.partition}.`,
          { partition: arn.partition, region, regionPartition: partitionOfRegion(region) },
        ),
      );
    }
    return findings;
  },
};

/** Namespace and ServiceAccount for remediation text, from the token or the pod's own mount. */
async function whoAmI(ctx: AgentContext): Promise<{ ns: string; sa: string }> {
  const [token, podSa] = await Promise.all([loadToken(ctx), loadPodServiceAccount(ctx)]);
  const k = token.ok ? token.claims.kubernetes : undefined;
  return {
    ns: k?.namespace ?? podSa.namespace ?? 'NAMESPACE',
    sa: k?.serviceaccount?.name ?? podSa.serviceAccount ?? 'SERVICE_ACCOUNT',
  };
}
