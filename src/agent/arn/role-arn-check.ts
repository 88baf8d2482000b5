import { parseRoleArn, suggestedRoleArn, WEBHOOK_ROLE_ARN_RE } from '../../lib/arn.js';
import { partitionOfRegion } from '../../lib/partition.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { region } from '../env/region.js';
import { podFacts } from '../token/pod-facts.js';

/** Is AWS_ROLE_ARN a role ARN STS will accept? Says exactly what is wrong when not. */
export const roleArnCheck: Check = {
  id: 'role-arn',
  title: 'Role ARN (AWS_ROLE_ARN) is well formed',
  sdkFree: true,
  async run(ctx) {
    const raw = ctx.env.AWS_ROLE_ARN;
    if (raw === undefined)
      return [
        finding(
          'ARN-NOT-SET',
          ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
            ? 'No AWS_ROLE_ARN: EKS Pod Identity takes the role from the association, not from the pod.'
            : 'No AWS_ROLE_ARN to check (see the env check).',
        ),
      ];
    const webhookAccepts = WEBHOOK_ROLE_ARN_RE.test(raw);
    const parsed = parseRoleArn(raw);
    if (!parsed.ok) {
      const pod = await podFacts(ctx);
      return [
        finding(
          'ARN-INVALID',
          `AWS_ROLE_ARN ${JSON.stringify(raw)} is not a valid IAM role ARN: ${parsed.problems.map((p) => p.message).join('; ')}. STS will answer ValidationError "Request ARN is invalid".`,
          {
            fix: {
              namespace: pod.namespace,
              serviceAccount: pod.serviceAccount,
              suggestion: suggestedRoleArn(raw),
            },
            details: {
              value: raw,
              problems: parsed.problems,
              webhookRegexMatches: webhookAccepts,
              ...(webhookAccepts
                ? {}
                : {
                    webhookNote: `amazon-eks-pod-identity-webhook checks ${WEBHOOK_ROLE_ARN_RE.source}; it logs the mismatch but still injects the value`,
                  }),
            },
          },
        ),
      ];
    }
    const { arn } = parsed;
    const findings: Finding[] = [
      finding(
        'ARN-VALID',
        `AWS_ROLE_ARN is a valid role ARN (role ${arn.name} in account ${arn.account})${webhookAccepts ? '' : "; the pod identity webhook's own regex rejects it (it logs that and still injects)"}.`,
        { details: { ...arn, webhookRegexMatches: webhookAccepts } },
      ),
    ];
    // The region includes the selected profile's, which only the shared config files know.
    const where = (await region(ctx)).value;
    if (where && partitionOfRegion(where) !== arn.partition) {
      const regionPartition = partitionOfRegion(where);
      findings.push(
        finding(
          'ARN-PARTITION-MISMATCH',
          `The role is in partition ${arn.partition} but the region ${where} belongs to ${regionPartition}.`,
          {
            fix: { partition: arn.partition, regionPartition },
            details: { partition: arn.partition, region: where, regionPartition },
          },
        ),
      );
    }
    return findings;
  },
};
