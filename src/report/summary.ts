import type { CheckResult, CheckStatus, Finding, FindingStatus, Summary, Verdict } from './types.js';

const RANK: Record<CheckStatus, number> = { skip: 0, pass: 1, info: 2, warn: 3, fail: 4, error: 5 };

/** A check is as bad as its worst finding; a check with no findings passed. */
export function checkStatusOf(findings: Finding[]): FindingStatus {
  let worst: FindingStatus | undefined;
  for (const f of findings) if (worst === undefined || RANK[f.status] > RANK[worst]) worst = f.status;
  if (worst === undefined) return 'pass';
  // A check whose findings are all skip/info still "passed" as a check unless everything was skipped.
  return worst;
}

export function summarize(checks: CheckResult[]): Summary {
  const s: Summary = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) {
    if (c.status === 'error') s.error++;
    for (const f of c.findings) s[f.status]++;
  }
  return s;
}

export function verdictOf(summary: Summary): Verdict {
  if (summary.fail > 0 || summary.error > 0) return 'fail';
  if (summary.warn > 0) return 'warn';
  return 'pass';
}

/** Exit code contract: 0 nothing failed, 1 any failure or errored check (usage errors exit 2 elsewhere). */
export function exitCodeOf(verdict: Verdict): 0 | 1 {
  return verdict === 'fail' ? 1 : 0;
}
