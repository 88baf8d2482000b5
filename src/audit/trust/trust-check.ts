import { oidcProviderArn, renderTrustPolicy } from '../../aws/trust-policy.js';
import { finding } from '../../report/finding.js';
import type { AuditCheck } from '../audit-check.js';
import { eksCluster } from '../cluster/eks-cluster.js';
import { awsFailureFinding } from '../failure-findings.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { iamRole } from './role.js';
import { analyseTrust } from './trust-analysis.js';

/** Does the annotated role's trust policy admit this ServiceAccount's token from this cluster? */
export const trustCheck: AuditCheck = {
  id: 'audit-trust',
  title: 'IAM role and its trust policy',
  async run(ctx) {
    const [id, cluster] = await Promise.all([workloadIdentity(ctx), eksCluster(ctx)]);
    if (id.annotation.state !== 'valid')
      return [
        finding(
          'IAM-TRUST-SKIPPED',
          'No IRSA role to check: the ServiceAccount names no valid role ARN (see audit-serviceaccount).',
        ),
      ];
    const arn = id.annotation.arn;
    const subject = `system:serviceaccount:${ctx.namespace}:${ctx.serviceAccount}`;
    const issuer = cluster.state === 'found' ? cluster.issuer : undefined;
    const trustPolicy = renderTrustPolicy({
      partition: arn.partition,
      account: arn.account,
      issuer: issuer ?? 'https://ISSUER',
      subject,
      audience: id.audience,
    });
    const fix = {
      roleName: arn.name,
      namespace: ctx.namespace,
      serviceAccount: ctx.serviceAccount,
      trustPolicy,
      account: arn.account,
    };
    const role = await iamRole(ctx, arn);
    if (role.state === 'failed') return [awsFailureFinding(role.failure, `role ${arn.name}`)];
    if (role.state === 'other-account')
      return [
        finding(
          'IAM-ROLE-OTHER-ACCOUNT',
          `Role ${arn.arn} is in account ${arn.account}; these credentials are of account ${role.operatorAccount}, so its trust policy was not read.`,
          {
            fix: { account: arn.account },
            details: { roleAccount: arn.account, operatorAccount: role.operatorAccount },
          },
        ),
      ];
    if (role.state === 'missing')
      return [
        finding(
          'IAM-ROLE-MISSING',
          `Role ${arn.name} (${arn.arn}) does not exist in account ${arn.account}.`,
          { fix, details: { roleArn: arn.arn } },
        ),
      ];
    if (!issuer)
      return [
        finding(
          'IAM-TRUST-SKIPPED',
          'The trust policy was not evaluated: the cluster or its OIDC issuer is unknown (see audit-cluster).',
        ),
      ];
    if (!role.trust.ok)
      return [
        finding(
          'AUDIT-AWS-ERROR',
          `IAM returned a trust policy for ${arn.name} that cannot be read: ${role.trust.problem}.`,
          {
            fix: { action: 'iam:GetRole', said: role.trust.problem },
          },
        ),
      ];
    const providerArn = oidcProviderArn(arn.partition, arn.account, issuer);
    const v = analyseTrust(role.trust.policy, { providerArn, issuer, subject, audience: id.audience });
    const details = { roleArn: role.arn, providerArn, subject, audience: id.audience };
    switch (v.kind) {
      case 'admits':
        return [
          finding(
            'IAM-TRUST-OK',
            `The trust policy of ${arn.name} admits ${subject} through ${v.statement}.`,
            { details: { ...details, statement: v.statement } },
          ),
        ];
      case 'denied':
        return [
          finding(
            'IAM-TRUST-MISMATCH',
            `The trust policy of ${arn.name} denies ${subject} explicitly (${v.statement}).`,
            {
              fix,
              details: { ...details, deniedBy: v.statement },
            },
          ),
        ];
      case 'wildcard':
        return [
          finding(
            'IAM-TRUST-WILDCARD',
            `The trust policy of ${arn.name} puts ${JSON.stringify(v.value)} under StringEquals for ${v.key} (${v.statement}): StringEquals matches the * literally, so it admits no ServiceAccount.`,
            {
              fix: { ...fix, statementRef: v.statement },
              details: { ...details, statement: v.statement, key: v.key, value: v.value },
            },
          ),
        ];
      case 'other-issuer':
        return [
          finding(
            'IAM-TRUST-OTHER-ISSUER',
            `The trust policy of ${arn.name} would admit ${subject} but names the OIDC provider ${v.providerArn} (${v.statement}), not this cluster's ${providerArn}.`,
            {
              fix: {
                ...fix,
                providerArn,
                issuerHost: providerArn.slice(providerArn.indexOf('oidc-provider/') + 14),
              },
              details: { ...details, statement: v.statement, namedProvider: v.providerArn },
            },
          ),
        ];
      default:
        return [
          finding(
            'IAM-TRUST-MISMATCH',
            `No statement of the trust policy of ${arn.name} admits sts:AssumeRoleWithWebIdentity for ${subject} with audience ${id.audience} from ${providerArn}${v.closest ? `; closest is ${v.closest.statement}, where ${describe(v.closest.failed)}` : ''}.`,
            { fix, details: { ...details, ...(v.closest ? { closest: v.closest } : {}) } },
          ),
        ];
    }
  },
};

function describe(
  failed: NonNullable<Extract<ReturnType<typeof analyseTrust>, { kind: 'mismatch' }>['closest']>['failed'],
): string {
  return failed
    .map((f) =>
      f.part === 'condition'
        ? `${f.operator} ${f.key} expects ${JSON.stringify(f.expected?.length === 1 ? f.expected[0] : f.expected)} but the token has ${JSON.stringify(f.observed?.[0] ?? null)}`
        : f.part === 'principal'
          ? 'the Federated principal is another provider'
          : `the ${f.part} does not cover it`,
    )
    .join('; ');
}
