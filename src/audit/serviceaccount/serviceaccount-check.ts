import { suggestedRoleArn } from '../../lib/arn.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import { eksCluster } from '../cluster/eks-cluster.js';
import { awsFailureFinding, kubeFailureFinding } from '../failure-findings.js';
import { DEFAULT_AUDIENCE, ROLE_ARN_ANNOTATION } from './role-annotation.js';
import { serviceAccountObject } from './service-account.js';
import { workloadIdentity } from './workload-identity.js';

/** Does the ServiceAccount exist, and does it name a role the webhook (or EKS Pod Identity) will use? */
export const serviceAccountCheck: AuditCheck = {
  id: 'audit-serviceaccount',
  title: 'ServiceAccount: role annotation or Pod Identity association',
  async run(ctx) {
    const who = `${ctx.namespace}/${ctx.serviceAccount}`;
    const fix = { namespace: ctx.namespace, serviceAccount: ctx.serviceAccount };
    const sa = await serviceAccountObject(ctx);
    if (!sa.ok)
      return [
        sa.kind === 'not-found'
          ? finding('SA-MISSING', `ServiceAccount ${who} does not exist.`, { fix })
          : kubeFailureFinding(sa, `ServiceAccount ${who}`),
      ];
    const [id, cluster] = await Promise.all([workloadIdentity(ctx), eksCluster(ctx)]);
    const clusterName = cluster.state === 'found' ? cluster.name : undefined;
    const out: Finding[] = [];
    const a = id.annotation;
    const associations = id.associations?.ok ? id.associations.value : undefined;
    if (a.state === 'typo')
      out.push(
        finding(
          'SA-ANNOTATION-TYPO',
          `ServiceAccount ${who} has the annotation ${JSON.stringify(a.key)}, not ${ROLE_ARN_ANNOTATION}: the webhook reads only the exact key, so its pods get no role.`,
          {
            fix: { ...fix, typo: a.key, value: a.raw },
            details: { annotation: a.key, value: a.raw, expectedKey: ROLE_ARN_ANNOTATION },
          },
        ),
      );
    else if (a.state === 'invalid')
      out.push(
        finding(
          'SA-ARN-INVALID',
          `The ${ROLE_ARN_ANNOTATION} annotation of ${who} is not a valid role ARN: ${a.problems.map((p) => p.message).join('; ')}.`,
          {
            fix: { ...fix, suggestion: suggestedRoleArn(a.raw) },
            details: { value: a.raw, problems: a.problems.map((p) => p.code) },
          },
        ),
      );
    else if (a.state === 'valid')
      out.push(
        finding('SA-OK', `ServiceAccount ${who} is annotated with role ${a.arn.arn}.`, {
          details: { roleArn: a.arn.arn, audience: id.audience },
        }),
      );
    else if (associations && associations.length > 0)
      out.push(
        finding(
          'SA-OK',
          `ServiceAccount ${who} has no role annotation and uses EKS Pod Identity (${associations.map((x) => x.roleArn ?? x.associationId).join(', ')}).`,
          { details: { associations } },
        ),
      );
    else if (associations || id.associations === undefined)
      out.push(
        finding(
          'SA-NOT-ANNOTATED',
          `ServiceAccount ${who} has no ${ROLE_ARN_ANNOTATION} annotation${associations ? ' and no EKS Pod Identity association' : ' (and Pod Identity associations could not be listed: the cluster is unknown)'}: its pods get no role of their own.`,
          {
            fix: { ...fix, cluster: clusterName },
            details: { annotations: Object.keys(sa.value.metadata?.annotations ?? {}) },
          },
        ),
      );
    else if (id.associations && !id.associations.ok)
      // Without the association list, "no role" could be wrong: say what was not checked instead.
      out.push(awsFailureFinding(id.associations, `whether ${who} has an EKS Pod Identity association`));
    if (id.audience !== DEFAULT_AUDIENCE)
      out.push(
        finding(
          'SA-AUDIENCE',
          `ServiceAccount ${who} asks for tokens with audience ${id.audience} (eks.amazonaws.com/audience), not ${DEFAULT_AUDIENCE}.`,
          {
            details: { audience: id.audience },
          },
        ),
      );
    return out;
  },
};
