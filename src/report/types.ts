/**
 * The report contract shared by the agent and the launcher (schemaVersion 1).
 * Published as JSON Schema in docs/report.schema.json; change both together.
 */

/** Outcome of one finding. `skip` means the finding could not apply (e.g. no token to inspect). */
export type FindingStatus = 'pass' | 'info' | 'warn' | 'fail' | 'skip';

/** A check's status is its worst finding, or `error` when the check itself crashed or ran out of time. */
export type CheckStatus = FindingStatus | 'error';

/** Overall result of a run. */
export type Verdict = 'pass' | 'warn' | 'fail';

/** One observation, with a stable code from the catalog in src/report/codes. */
export interface Finding {
  /** Stable identifier, e.g. `STS-TRUST-POLICY`; documented in docs/codes.md. */
  code: string;
  status: FindingStatus;
  /** What was observed, in one or two sentences. */
  message: string;
  /**
   * The exact change that fixes it; present on every warn and fail. Text and Markdown output show it as
   * "Fix:". Commands are marked as `code spans` and documents to paste (a trust policy) as fenced
   * blocks (```), so a renderer can keep them whole.
   */
  remediation?: string;
  /**
   * Machine-readable facts behind the message (never secrets). `details.ignored` marks a finding the
   * user acknowledged with --ignore / IRSA_DOCTOR_IGNORE (see ignore-findings.ts).
   */
  details?: Record<string, unknown>;
  /** The link to the code's entry in docs/codes.md (an optional field added after 0.1.0: schemaVersion stays 1). */
  docs?: string;
}

/** The result of one check. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
  findings: Finding[];
  /** One-line reason when status is `error`. */
  error?: string;
}

/** How the pod gets AWS credentials. */
export type Mechanism = 'irsa' | 'pod-identity' | 'both' | 'none';

/** Facts about where the agent ran. No secrets. */
export interface ReportContext {
  namespace?: string;
  serviceAccount?: string;
  pod?: string;
  node?: string;
  region?: string;
  mechanism: Mechanism;
  roleArn?: string;
}

export interface Summary {
  pass: number;
  info: number;
  warn: number;
  fail: number;
  skip: number;
  error: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'irsa-doctor'; version: string };
  /** ISO 8601 time the run started. */
  startedAt: string;
  durationMs: number;
  context: ReportContext;
  checks: CheckResult[];
  /** Finding counts by status, plus checks that errored. */
  summary: Summary;
  verdict: Verdict;
}
