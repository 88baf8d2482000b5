// One audit's shared state, opened from a Kubernetes connection, and the audit of one ServiceAccount
// in it: what `irsa-doctor audit` runs, and what `run --audit` and `camunda` run beside their Jobs.
import type { KubeConfig } from '@kubernetes/client-node';
import { createMemo } from '../checks/memo.js';
import { runChecks } from '../checks/run-checks.js';
import { KubeClient } from '../kube/kube-client.js';
import type { ResolvedKubeconfig } from '../kube/resolved-kubeconfig.js';
import { RunDeadline } from '../lib/deadline.js';
import type { CheckResult, Report } from '../report/types.js';
import type { AuditContext, AuditSweep } from './audit-context.js';
import type { AuditOptions } from './audit-options.js';
import { auditReport } from './audit-report.js';
import { AuditAws } from './aws/audit-aws.js';
import { clusterHintsOfExec, regionOfEksServer } from './cluster/kubeconfig-hints.js';
import { auditChecksFor } from './registry.js';

export type Sweep = AuditSweep & { defaultNamespace: string };

export type OpenedSweep = { ok: true; sweep: Sweep } | { ok: false; noRegion: true };

/** Everything the ServiceAccounts of one audit share: the deadline, the clients, the kubeconfig's hints. */
export async function openSweep(
  options: AuditOptions,
  connection: { resolved: ResolvedKubeconfig; config: KubeConfig },
  signal?: AbortSignal,
): Promise<OpenedSweep> {
  const deadline = new RunDeadline(options.timeoutMs);
  const endAt = Date.now() + options.timeoutMs;
  const { resolved } = connection;
  const server = resolved.cluster.server;
  const hints = { server, ...clusterHintsOfExec(resolved.exec?.args) };
  const region = options.region ?? hints.region ?? regionOfEksServer(server) ?? (await sdkRegion());
  if (!region) return { ok: false, noRegion: true };
  const stop = signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal;
  return {
    ok: true,
    sweep: {
      options,
      deadline,
      kube: new KubeClient(connection.config, { signal: stop, endAt }),
      aws: new AuditAws(region, deadline),
      kubeconfigHints: hints,
      now: () => new Date(),
      memo: createMemo(),
      defaultNamespace: resolved.namespace.name,
    },
  };
}

export const NO_REGION_MESSAGE =
  'no AWS region: pass --region REGION, or set AWS_REGION (or a region in the AWS profile)';

/** The region the SDK's own chain finds (AWS_REGION, AWS_DEFAULT_REGION, the selected profile). */
async function sdkRegion(): Promise<string | undefined> {
  const m = (await import('@aws-sdk/client-sts')) as unknown as Record<string, unknown>;
  const STSClient = (m.STSClient ??
    (m.default as Record<string, unknown>).STSClient) as typeof import('@aws-sdk/client-sts').STSClient;
  const client = new STSClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** The audit checks of one ServiceAccount, in registry order. */
export async function auditChecks(
  sweep: AuditSweep,
  namespace: string,
  serviceAccount: string,
  onDone?: (result: CheckResult) => void,
): Promise<{ ctx: AuditContext; results: CheckResult[] }> {
  const ctx: AuditContext = {
    sweep,
    deadline: sweep.deadline,
    namespace,
    serviceAccount,
    memo: createMemo(),
  };
  return { ctx, results: await runChecks(auditChecksFor(sweep.options), ctx, false, onDone) };
}

/** One ServiceAccount's audit as a report of the shared contract. */
export async function auditOne(
  sweep: AuditSweep,
  namespace: string,
  serviceAccount: string,
  onDone?: (result: CheckResult) => void,
): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { ctx, results } = await auditChecks(sweep, namespace, serviceAccount, onDone);
  return auditReport(ctx, startedAt, Math.round(performance.now() - t0), results);
}
