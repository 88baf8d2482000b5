// `run --audit` (and, next, `camunda`): the audit of each ServiceAccount a run creates a Job for, read
// from the workstation while the Job runs, joined to that run's report as one check, `audit`, so the
// report holds what the pod saw and why the AWS side made it so.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ResolvedKubeconfig } from '../kube/resolved-kubeconfig.js';
import { checkStatusOf } from '../report/summary.js';
import type { CheckResult, Report } from '../report/types.js';
import type { AuditSweep } from './audit-context.js';
import { type AuditOptions, DEFAULT_AUDIT_PARALLEL } from './audit-options.js';
import { auditReport } from './audit-report.js';
import { associatedServiceAccounts } from './pod-identity/associations.js';
import { auditChecks, openSweep, type Sweep } from './sweep.js';

export const AUDIT_CHECK_ID = 'audit';
const AUDIT_CHECK_TITLE = 'AWS side, read with your credentials (irsa-doctor audit)';

/** The endpoints a workload uses, which the audit judges the role's permissions on. */
export interface AuditTargets {
  postgres: string[];
  postgresUser?: string;
  opensearch: string[];
}

export interface AuditBesideRun {
  /** The audit of one ServiceAccount as one check; never rejects (a failed read is a finding). */
  auditOf(namespace: string, serviceAccount: string): Promise<CheckResult>;
  /**
   * The same audit for other targets (a Camunda component's own endpoints): every read the audits
   * share (cluster, OIDC provider, roles, RDS and OpenSearch inventories) is still made once.
   */
  forTargets(targets: AuditTargets): (namespace: string, serviceAccount: string) => Promise<CheckResult>;
  /** One ServiceAccount's audit as a whole report, for when no Job runs (camunda --no-pods). */
  reportOf(namespace: string, serviceAccount: string, targets: AuditTargets): Promise<Report>;
  /**
   * `namespace/serviceAccount` of every EKS Pod Identity association of the cluster; undefined when
   * they could not be listed (no cluster found, a refused read).
   */
  podIdentityServiceAccounts(): Promise<ReadonlySet<string> | undefined>;
  /** Its shared reads, which a sweep reuses (run --all: the cluster and its Pod Identity associations). */
  readonly sweep: AuditSweep;
  close(): Promise<void>;
}

export type OpenedAuditBesideRun = { ok: true; audit: AuditBesideRun } | { ok: false; message: string };

/**
 * Opens one audit for the whole run: its reads (the cluster, the OIDC provider, each role) are shared by
 * every ServiceAccount of a sweep. The Aurora and OpenSearch targets are the agent's own, given after
 * `--`, so the audit judges the very endpoints the pod is about to try.
 */
export async function openAuditBesideRun(input: {
  connection: { resolved: ResolvedKubeconfig; config: KubeConfig };
  /** The agent's targets (its flags after `--`), and its --region when given. */
  targets: { postgres: string[]; postgresUser?: string; opensearch: string[]; region?: string };
  /** run --cluster: the EKS cluster, where the kubeconfig does not name it (in-cluster). */
  cluster?: string;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<OpenedAuditBesideRun> {
  const agent = input.targets;
  const options: AuditOptions = {
    all: false,
    allNamespaces: false,
    postgres: agent.postgres,
    opensearch: agent.opensearch,
    ...(agent.postgresUser !== undefined ? { postgresUser: agent.postgresUser } : {}),
    ...(agent.region !== undefined ? { region: agent.region } : {}),
    ...(input.cluster !== undefined ? { cluster: input.cluster } : {}),
    timeoutMs: input.timeoutMs,
    parallel: DEFAULT_AUDIT_PARALLEL,
    assume: false,
    cloudTrailHours: 24,
  };
  const opened = await openSweep(options, input.connection, input.signal);
  if (!opened.ok)
    return {
      ok: false,
      message:
        'run --audit needs an AWS region and the kubeconfig names none: set AWS_REGION (or a region in the AWS profile)',
    };
  const { sweep } = opened;
  // The same sweep (its memo, clients and deadline) with another workload's endpoints.
  const { postgresUser: _, ...shared } = sweep.options;
  const withTargets = (t: AuditTargets): Sweep => ({
    ...sweep,
    options: {
      ...shared,
      postgres: t.postgres,
      opensearch: t.opensearch,
      ...(t.postgresUser !== undefined ? { postgresUser: t.postgresUser } : {}),
    },
  });
  const oneCheck =
    (s: Sweep) =>
    async (namespace: string, serviceAccount: string): Promise<CheckResult> => {
      const t0 = performance.now();
      const { results } = await auditChecks(s, namespace, serviceAccount);
      return asOneCheck(results, Math.round(performance.now() - t0));
    };
  return {
    ok: true,
    audit: {
      sweep,
      auditOf: oneCheck(sweep),
      forTargets: (t) => oneCheck(withTargets(t)),
      async reportOf(namespace, serviceAccount, t) {
        const startedAt = new Date();
        const t0 = performance.now();
        const { ctx, results } = await auditChecks(withTargets(t), namespace, serviceAccount);
        return auditReport(ctx, startedAt, Math.round(performance.now() - t0), results);
      },
      async podIdentityServiceAccounts() {
        const listed = await associatedServiceAccounts(sweep);
        return listed.ok ? listed.serviceAccounts : undefined;
      },
      close: () => sweep.aws.close(),
    },
  };
}

/** The audit's checks as one: every finding in registry order, errored checks named in `error`. */
function asOneCheck(results: readonly CheckResult[], durationMs: number): CheckResult {
  const findings = results.flatMap((r) => r.findings);
  const errored = results.filter((r) => r.status === 'error');
  return {
    id: AUDIT_CHECK_ID,
    title: AUDIT_CHECK_TITLE,
    status: errored.length ? 'error' : checkStatusOf(findings),
    durationMs,
    findings,
    ...(errored.length ? { error: errored.map((r) => `${r.id}: ${r.error ?? 'failed'}`).join('; ') } : {}),
  };
}
