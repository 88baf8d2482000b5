import { buildReport } from '../report/build-report.js';
import type { CheckResult, Report } from '../report/types.js';
import type { AuditContext } from './audit-context.js';
import { workloadIdentity } from './serviceaccount/workload-identity.js';

/** One ServiceAccount's audit as a report of the shared contract, its header from the audit's facts. */
export async function auditReport(
  ctx: AuditContext,
  startedAt: Date,
  durationMs: number,
  checks: CheckResult[],
): Promise<Report> {
  const id = await workloadIdentity(ctx);
  const roleArn =
    id.annotation.state === 'valid'
      ? id.annotation.arn.arn
      : id.associations?.ok
        ? id.associations.value.find((a) => a.roleArn)?.roleArn
        : undefined;
  return buildReport(
    startedAt,
    durationMs,
    {
      namespace: ctx.namespace,
      serviceAccount: ctx.serviceAccount,
      region: ctx.sweep.aws.region,
      mechanism: id.mechanism,
      ...(roleArn ? { roleArn } : {}),
    },
    checks,
  );
}
