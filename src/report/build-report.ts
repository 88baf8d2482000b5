import { TOOL_VERSION } from '../version.js';
import { summarize, verdictOf } from './summary.js';
import type { CheckResult, Report, ReportContext } from './types.js';

export function buildReport(
  startedAt: Date,
  durationMs: number,
  context: ReportContext,
  checks: CheckResult[],
): Report {
  const summary = summarize(checks);
  return {
    schemaVersion: 1,
    tool: { name: 'irsa-doctor', version: TOOL_VERSION },
    startedAt: startedAt.toISOString(),
    durationMs,
    context,
    checks,
    summary,
    verdict: verdictOf(summary),
  };
}
