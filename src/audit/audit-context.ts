import { factsFor } from '../checks/fact.js';
import type { Memo } from '../checks/memo.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { RunDeadline } from '../lib/deadline.js';
import type { AuditOptions } from './audit-options.js';
import type { AuditAws } from './aws/audit-aws.js';

/** Where the audit runs: what every ServiceAccount of one audit (or one sweep) shares. */
export interface AuditSweep {
  readonly options: AuditOptions;
  readonly deadline: RunDeadline;
  readonly kube: KubeClient;
  readonly aws: AuditAws;
  /** The kubeconfig context's cluster and region hints (`aws eks get-token --cluster-name X --region R`). */
  readonly kubeconfigHints: { cluster?: string; region?: string; server: string };
  now(): Date;
  /** Facts every ServiceAccount shares: one DescribeCluster, one provider list, one GetRole per role. */
  readonly memo: Memo;
}

/** One ServiceAccount under audit. */
export interface AuditContext {
  readonly sweep: AuditSweep;
  readonly deadline: RunDeadline;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Facts of this ServiceAccount alone. */
  readonly memo: Memo;
}

/** Facts of one ServiceAccount, in its own memo. */
export const { fact: saFact, factFamily: saFactFamily } = factsFor<AuditContext>((ctx) => ctx.memo);
/** Facts every ServiceAccount of the sweep shares, computed once for all of them. */
export const { fact: sweepFact, factFamily: sweepFactFamily } = factsFor<AuditContext>(
  (ctx) => ctx.sweep.memo,
);
