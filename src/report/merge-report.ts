import { buildReport } from './build-report.js';
import { finding } from './finding.js';
import { checkStatusOf, summarize, verdictOf } from './summary.js';
import type { CheckResult, Finding, Report, ReportContext } from './types.js';

export const LAUNCHER_CHECK_ID = 'launcher';
export const LAUNCHER_CHECK_TITLE = 'Launcher: preflight and the diagnostic Job';

export function launcherCheck(findings: Finding[], durationMs: number): CheckResult {
  return {
    id: LAUNCHER_CHECK_ID,
    title: LAUNCHER_CHECK_TITLE,
    status: checkStatusOf(findings),
    durationMs,
    findings,
  };
}

/** Where the Job ran, as the launcher saw it; fills what the agent could not know from inside. */
export interface RunFacts {
  namespace: string;
  serviceAccount: string;
  pod?: string;
  node?: string;
}

/**
 * The agent's report with the launcher's check first. Summary and verdict are recomputed so a
 * launcher failure (e.g. LAUNCH-NOT-MUTATED) fails the run even when the agent's own checks passed.
 */
export function mergeReport(
  agent: Report,
  launcher: CheckResult,
  facts: RunFacts,
  durationMs: number,
): Report {
  const checks = [launcher, ...agent.checks.filter((c) => c.id !== LAUNCHER_CHECK_ID)];
  const summary = summarize(checks);
  const context: ReportContext = { ...agent.context };
  context.namespace ??= facts.namespace;
  context.serviceAccount ??= facts.serviceAccount;
  if (facts.pod) context.pod ??= facts.pod;
  if (facts.node) context.node ??= facts.node;
  return { ...agent, durationMs, context, checks, summary, verdict: verdictOf(summary) };
}

/**
 * When the agent never reported: the launcher's findings alone, in the same contract. The contract
 * requires a mechanism and 'none' is the only fitting value, so a finding says it was not determined
 * rather than diagnosed (no credentials at all is what 'none' means in an agent's report).
 */
export function launcherOnlyReport(
  startedAt: Date,
  durationMs: number,
  launcher: CheckResult,
  facts: RunFacts,
): Report {
  const context: ReportContext = {
    namespace: facts.namespace,
    serviceAccount: facts.serviceAccount,
    mechanism: 'none',
  };
  if (facts.pod) context.pod = facts.pod;
  if (facts.node) context.node = facts.node;
  const findings = [...launcher.findings, agentNotRun()];
  const check: CheckResult = { ...launcher, status: checkStatusOf(findings), findings };
  return buildReport(startedAt, durationMs, context, [check]);
}

function agentNotRun(): Finding {
  return finding(
    'LAUNCH-AGENT-NOT-RUN',
    'The agent did not report, so this report holds only the launcher\'s findings: context.mechanism "none" means not determined here, not that the pod has no AWS identity.',
    { details: { agentReported: false, mechanism: 'not determined' } },
  );
}

/** The report with one more check at the end (e.g. `run --audit`'s), summary and verdict recomputed. */
export function appendCheck(report: Report, check: CheckResult): Report {
  const checks = [...report.checks.filter((c) => c.id !== check.id), check];
  const summary = summarize(checks);
  return { ...report, checks, summary, verdict: verdictOf(summary) };
}
