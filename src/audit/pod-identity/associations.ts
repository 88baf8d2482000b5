// EKS Pod Identity associations of the cluster: listed once for every ServiceAccount of the audit, each
// described (for its role) only when a ServiceAccount has one.
import { createMemo } from '../../checks/memo.js';
import { type AuditContext, type AuditSweep, saFact, sweepFact } from '../audit-context.js';
import type { AwsFailure, AwsResult } from '../aws/aws-result.js';
import { eksCluster } from '../cluster/eks-cluster.js';

export interface Association {
  associationId: string;
  namespace: string;
  serviceAccount: string;
  roleArn?: string;
}

/** Every association of the cluster (pages followed), or why they could not be listed. */
export const clusterAssociations = sweepFact(
  'pod-identity-associations',
  async (ctx): Promise<AwsResult<Association[]> | undefined> => {
    const cluster = await eksCluster(ctx);
    if (cluster.state !== 'found') return undefined;
    const out: Association[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await ctx.sweep.aws.call(
        'eks',
        'eks:ListPodIdentityAssociations',
        (eks, abortSignal, { ListPodIdentityAssociationsCommand }) =>
          eks.send(
            new ListPodIdentityAssociationsCommand({ clusterName: cluster.name, maxResults: 100, nextToken }),
            { abortSignal },
          ),
      );
      if (!r.ok) return r;
      for (const a of r.value.associations ?? [])
        if (a.associationId && a.namespace && a.serviceAccount)
          out.push({
            associationId: a.associationId,
            namespace: a.namespace,
            serviceAccount: a.serviceAccount,
          });
      nextToken = r.value.nextToken;
      if (!nextToken) break;
    }
    return { ok: true, value: out };
  },
);

/** This ServiceAccount's associations with their roles; undefined when the cluster is unknown. */
export const serviceAccountAssociations = saFact(
  'sa-associations',
  async (ctx: AuditContext): Promise<AwsResult<Association[]> | undefined> => {
    const all = await clusterAssociations(ctx);
    if (!all?.ok) return all;
    const cluster = await eksCluster(ctx);
    const mine = all.value.filter(
      (a) => a.namespace === ctx.namespace && a.serviceAccount === ctx.serviceAccount,
    );
    const described: Association[] = [];
    for (const a of mine) {
      const r = await ctx.sweep.aws.call(
        'eks',
        'eks:DescribePodIdentityAssociation',
        (eks, abortSignal, { DescribePodIdentityAssociationCommand }) =>
          eks.send(
            new DescribePodIdentityAssociationCommand({
              clusterName: cluster.state === 'found' ? cluster.name : '',
              associationId: a.associationId,
            }),
            { abortSignal },
          ),
      );
      if (!r.ok) return r;
      const roleArn = r.value.association?.roleArn;
      described.push({ ...a, ...(roleArn ? { roleArn } : {}) });
    }
    return { ok: true, value: described };
  },
);

/** Which ServiceAccounts have an association (`namespace/name`), or why that could not be told. */
export type AssociatedServiceAccounts =
  | { ok: true; cluster: string; serviceAccounts: Set<string> }
  /** step: finding the cluster (DescribeCluster / ListClusters) or listing its associations. */
  | { ok: false; failure: AwsFailure; step: 'cluster' | 'list' }
  | { ok: false; clusterNotFound: { tried: string[]; source: string } };

/**
 * The ServiceAccounts a sweep picks for EKS Pod Identity (audit --all, run --all): the cluster found as
 * the audit finds it, its associations listed once. A sweep's facts need a ServiceAccount context; one
 * that names none is enough to ask.
 */
export async function associatedServiceAccounts(sweep: AuditSweep): Promise<AssociatedServiceAccounts> {
  const probe: AuditContext = {
    sweep,
    deadline: sweep.deadline,
    namespace: '',
    serviceAccount: '',
    memo: createMemo(),
  };
  const cluster = await eksCluster(probe);
  if (cluster.state === 'failed') return { ok: false, failure: cluster.failure, step: 'cluster' };
  if (cluster.state === 'not-found')
    return { ok: false, clusterNotFound: { tried: cluster.tried, source: cluster.source } };
  const all = await clusterAssociations(probe);
  if (!all) return { ok: false, clusterNotFound: { tried: [cluster.name], source: cluster.source } };
  if (!all.ok) return { ok: false, failure: all, step: 'list' };
  return {
    ok: true,
    cluster: cluster.name,
    serviceAccounts: new Set(all.value.map((a) => `${a.namespace}/${a.serviceAccount}`)),
  };
}
