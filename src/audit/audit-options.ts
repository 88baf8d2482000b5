import type { ReportFlagValues } from '../cli/report-options.js';

/** What `irsa-doctor audit` was asked to do. */
export interface AuditOptions {
  /** undefined: the kubeconfig context's namespace (kubectl's rule); with allNamespaces, every one. */
  namespace?: string;
  serviceAccount?: string;
  /** Every ServiceAccount with a role annotation or a Pod Identity association. */
  all: boolean;
  allNamespaces: boolean;
  postgres: string[];
  postgresUser?: string;
  opensearch: string[];
  cluster?: string;
  region?: string;
  context?: string;
  kubeconfig?: string;
  /** -o, -v, --fail-on, --ignore as given (cli/report-options.ts resolves them). */
  report?: ReportFlagValues;
  timeoutMs: number;
  parallel: number;
  /** Prove the trust chain with a real token: TokenRequest + AssumeRoleWithWebIdentity. */
  assume: boolean;
  /** How far back CloudTrail is searched for refused web identity exchanges. */
  cloudTrailHours: number;
}

export const DEFAULT_AUDIT_TIMEOUT_SECONDS = 30;
export const DEFAULT_AUDIT_PARALLEL = 8;
