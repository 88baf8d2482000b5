import type { V1Pod } from '@kubernetes/client-node';
import { parseRoleArn } from '../../lib/arn.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import type { AuditContext } from '../audit-context.js';
import { eksCluster } from '../cluster/eks-cluster.js';
import { awsFailureFinding } from '../failure-findings.js';
import { namespacePods, ownerOf, podsOf } from '../pods/namespace-pods.js';
import { type WorkloadIdentity, workloadIdentity } from '../serviceaccount/workload-identity.js';
import { iamRole } from '../trust/role.js';
import type { Association } from './associations.js';
import {
  type ActionVerdict,
  analysePodIdentityTrust,
  describeFailedParts,
  POD_IDENTITY_SERVICE,
} from './pod-identity-trust.js';

/** The ServiceAccount's EKS Pod Identity associations, whether their roles trust EKS Pod Identity, and IRSA beside it. */
export const podIdentityCheck: AuditCheck = {
  id: 'audit-pod-identity',
  title: 'EKS Pod Identity: associations and their roles',
  async run(ctx) {
    const [id, cluster] = await Promise.all([workloadIdentity(ctx), eksCluster(ctx)]);
    // A ServiceAccount that cannot be read is audit-serviceaccount's finding.
    if (!id.known) return [];
    const who = `${ctx.namespace}/${ctx.serviceAccount}`;
    if (id.associations === undefined || cluster.state !== 'found')
      return [
        finding(
          'PODID-NONE',
          `Not checked: the EKS cluster is unknown (see audit-cluster), so its Pod Identity associations could not be listed.`,
        ),
      ];
    if (!id.associations.ok)
      return [awsFailureFinding(id.associations, `the EKS Pod Identity associations of ${who}`)];
    const associations = id.associations.value;
    if (associations.length === 0)
      return [
        finding('PODID-NONE', `No EKS Pod Identity association names ${who} in cluster ${cluster.name}.`, {
          details: { cluster: cluster.name },
        }),
      ];
    const clusterFacts = { name: cluster.name, ...(cluster.arn ? { arn: cluster.arn } : {}) };
    const out: Finding[] = [];
    for (const a of associations) {
      out.push(
        finding(
          'PODID-ASSOCIATION',
          `EKS Pod Identity association ${a.associationId} gives ${who} role ${a.roleArn ?? '(EKS returned no role)'}.`,
          { details: { associationId: a.associationId, roleArn: a.roleArn, cluster: cluster.name } },
        ),
      );
      out.push(...(await associatedRoleTrust(ctx, a, clusterFacts)));
    }
    if (id.mechanism === 'both') out.push(await bothMechanisms(ctx, id, associations, cluster.name));
    return out;
  },
};

async function associatedRoleTrust(
  ctx: AuditContext,
  a: Association,
  cluster: { name: string; arn?: string },
): Promise<Finding[]> {
  if (!a.roleArn) return [];
  const parsed = parseRoleArn(a.roleArn);
  if (!parsed.ok)
    return [
      finding(
        'AUDIT-AWS-ERROR',
        `EKS names role ${JSON.stringify(a.roleArn)} for association ${a.associationId}, which is not a role ARN.`,
        { fix: { action: 'eks:DescribePodIdentityAssociation', said: `roleArn ${a.roleArn}` } },
      ),
    ];
  const arn = parsed.arn;
  const role = await iamRole(ctx, arn);
  if (role.state === 'failed')
    return [awsFailureFinding(role.failure, `the trust policy of role ${arn.name}`)];
  if (role.state === 'other-account')
    return [
      finding(
        'IAM-ROLE-OTHER-ACCOUNT',
        `Role ${arn.arn} of association ${a.associationId} is in account ${arn.account}; these credentials are of account ${role.operatorAccount}, so its trust policy was not read.`,
        {
          fix: { account: arn.account },
          details: { roleAccount: arn.account, operatorAccount: role.operatorAccount },
        },
      ),
    ];
  if (role.state === 'missing')
    return [
      finding(
        'PODID-ROLE-MISSING',
        `Association ${a.associationId} names role ${arn.name} (${arn.arn}), which does not exist in account ${arn.account}.`,
        {
          fix: { roleName: arn.name, cluster: cluster.name, associationId: a.associationId },
          details: { associationId: a.associationId, roleArn: arn.arn },
        },
      ),
    ];
  if (!role.trust.ok)
    return [
      finding(
        'AUDIT-AWS-ERROR',
        `IAM returned a trust policy for ${arn.name} that cannot be read: ${role.trust.problem}.`,
        { fix: { action: 'iam:GetRole', said: role.trust.problem } },
      ),
    ];
  const verdicts = analysePodIdentityTrust(role.trust.policy, {
    clusterName: cluster.name,
    ...(cluster.arn ? { clusterArn: cluster.arn } : {}),
    namespace: ctx.namespace,
    serviceAccount: ctx.serviceAccount,
  });
  const details = { roleArn: role.arn, associationId: a.associationId, actions: verdicts };
  const refused = verdicts.filter((v) => v.kind !== 'allowed');
  if (refused.length === 0) {
    const allowed = verdicts.flatMap((v) => (v.kind === 'allowed' ? [v] : []));
    const keys = [...new Set(allowed.flatMap((v) => (v.assumed ?? []).map((c) => c.key)))];
    return [
      finding(
        'PODID-TRUST-OK',
        `The trust policy of ${arn.name} lets ${POD_IDENTITY_SERVICE} ${allowed.map((v) => `${v.action} (${v.statement})`).join(' and ')}${keys.length ? `, provided its conditions on ${keys.join(', ')} hold: the audit cannot know them from outside the pod` : ''}.`,
        { details },
      ),
    ];
  }
  return [
    finding(
      'PODID-TRUST',
      `The trust policy of ${arn.name} does not let EKS Pod Identity in: ${refused.map(whyRefused).join('; ')}. EKS Auth needs both sts:AssumeRole and sts:TagSession for ${POD_IDENTITY_SERVICE}.`,
      { fix: { roleName: arn.name }, details },
    ),
  ];
}

function whyRefused(v: ActionVerdict): string {
  if (v.kind === 'denied') return `${v.action} is denied by ${v.statement}`;
  if (v.kind === 'allowed') return `${v.action} is allowed`;
  return `no statement allows ${v.action}${v.closest ? ` (closest is ${v.closest.statement}, where ${describeFailedParts(v.closest.failed)})` : ''}`;
}

/** Both mechanisms name a role: which one the pods use, from what the running pods carry. */
async function bothMechanisms(
  ctx: AuditContext,
  id: WorkloadIdentity,
  associations: Association[],
  cluster: string,
): Promise<Finding> {
  const irsaRole =
    id.annotation.state === 'valid' || id.annotation.state === 'invalid' ? id.annotation.raw : '?';
  const podRole = associations.map((a) => a.roleArn ?? a.associationId).join(', ');
  const listed = await namespacePods(ctx, ctx.namespace);
  const pods = listed.ok ? podsOf(listed.value, ctx.serviceAccount) : [];
  const withIrsa = pods.filter((p) => hasEnv(p, 'AWS_WEB_IDENTITY_TOKEN_FILE'));
  const podIdentityOnly = pods.filter(
    (p) => !hasEnv(p, 'AWS_WEB_IDENTITY_TOKEN_FILE') && hasEnv(p, 'AWS_CONTAINER_CREDENTIALS_FULL_URI'),
  );
  const running = listed.ok
    ? ` Running now: ${withIrsa.length} pod(s) with the web identity token (they use ${irsaRole}), ${podIdentityOnly.length} with Pod Identity only (they use ${podRole}).`
    : '';
  const workloads = [...new Set(pods.map(ownerOf))];
  return finding(
    'MECHANISM-BOTH',
    `${ctx.namespace}/${ctx.serviceAccount} has the IRSA annotation (role ${irsaRole}) and an EKS Pod Identity association (role ${podRole}). Pods created while the association exists get only the Pod Identity variables (EKS skips the IRSA injection) and use ${podRole}; a pod that carries both uses ${irsaRole}, because the SDK reads the web identity token file before container credentials.${running}`,
    {
      fix: {
        cluster,
        associationId: associations[0]?.associationId,
        namespace: ctx.namespace,
        serviceAccount: ctx.serviceAccount,
        ...(workloads.length ? { workload: workloads.join(' ') } : {}),
      },
      details: {
        irsaRoleArn: irsaRole,
        podIdentityRoleArns: associations.map((a) => a.roleArn),
        ...(listed.ok
          ? {
              podsWithWebIdentity: withIrsa.map((p) => p.metadata?.name),
              podsWithPodIdentityOnly: podIdentityOnly.map((p) => p.metadata?.name),
            }
          : {}),
      },
    },
  );
}

function hasEnv(p: V1Pod, name: string): boolean {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].some((c) =>
    c.env?.some((e) => e.name === name),
  );
}
