import type { V1Pod } from '@kubernetes/client-node';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import { kubeFailureFinding } from '../failure-findings.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { namespacePods, ownerOf, podsOf } from './namespace-pods.js';

/** Do the pods already running as this ServiceAccount carry what the webhook injects, with today's role? */
export const podsCheck: AuditCheck = {
  id: 'audit-pods',
  title: 'Pods running as the ServiceAccount: injected role',
  async run(ctx) {
    const id = await workloadIdentity(ctx);
    if (!id.known) return [];
    const all = await namespacePods(ctx, ctx.namespace);
    if (!all.ok) return [kubeFailureFinding(all, `the pods of ${ctx.namespace}`)];
    const pods = podsOf(all.value, ctx.serviceAccount);
    if (pods.length === 0)
      return [
        finding(
          'PODS-NONE',
          `No pod of ${ctx.namespace} runs as ServiceAccount ${ctx.serviceAccount} right now.`,
        ),
      ];
    const annotated = id.annotation.state === 'valid' ? id.annotation.arn.arn : undefined;
    // Pods of a Pod Identity ServiceAccount carry container credentials, not IRSA: nothing to compare here.
    if (!annotated)
      return [
        finding(
          'PODS-NONE',
          `${pods.length} pod(s) run as ${ctx.serviceAccount}, which names no IRSA role to compare with.`,
          { details: { pods: pods.map(name) } },
        ),
      ];
    const unmutated = pods.filter((p) => !injectedRole(p) && !usesPodIdentity(p));
    const stale = pods.filter((p) => {
      const r = injectedRole(p);
      return r !== undefined && r.trim() !== annotated;
    });
    const out: Finding[] = [];
    const workloads = (ps: V1Pod[]) => [...new Set(ps.map(ownerOf))];
    if (unmutated.length > 0)
      out.push(
        finding(
          'PODS-NOT-MUTATED',
          `${unmutated.length} of ${pods.length} pod(s) of ${ctx.serviceAccount} run without the IRSA injection (no AWS_ROLE_ARN / token volume): ${unmutated.map(name).join(', ')}.`,
          {
            fix: { namespace: ctx.namespace, workload: workloads(unmutated).join(' ') },
            details: { pods: unmutated.map(name), workloads: workloads(unmutated) },
          },
        ),
      );
    if (stale.length > 0)
      out.push(
        finding(
          'PODS-STALE-ROLE',
          `${stale.length} pod(s) of ${ctx.serviceAccount} still run with AWS_ROLE_ARN ${[...new Set(stale.map(injectedRole))].join(', ')}, not the annotation's ${annotated}: they predate the change.`,
          {
            fix: { namespace: ctx.namespace, workload: workloads(stale).join(' ') },
            details: {
              pods: stale.map((p) => ({ pod: name(p), roleArn: injectedRole(p) })),
              workloads: workloads(stale),
              annotated,
            },
          },
        ),
      );
    if (out.length === 0)
      out.push(
        finding(
          'PODS-OK',
          `All ${pods.length} pod(s) of ${ctx.serviceAccount} carry AWS_ROLE_ARN ${annotated} and the token volume.`,
          { details: { pods: pods.map(name) } },
        ),
      );
    return out;
  },
};

function name(p: V1Pod): string {
  return p.metadata?.name ?? '?';
}

/** The role the webhook injected into the pod's containers (the first that has one). */
function injectedRole(p: V1Pod): string | undefined {
  for (const c of p.spec?.containers ?? []) {
    const v = c.env?.find((e) => e.name === 'AWS_ROLE_ARN')?.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

function usesPodIdentity(p: V1Pod): boolean {
  return (p.spec?.containers ?? []).some((c) =>
    c.env?.some((e) => e.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI'),
  );
}
