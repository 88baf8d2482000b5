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

/** Which verdict makes the exit code 1 (--fail-on): `fail` (the default), also `warn`, or `never`. */
export type FailOn = 'fail' | 'warn' | 'never';

/**
 * Exit code contract: 0 nothing failed, 1 any failure or errored check (usage errors exit 2 elsewhere);
 * --fail-on warn makes a warning fail too, --fail-on never reports without failing.
 */
export function exitCodeOf(verdict: Verdict, failOn: FailOn = 'fail'): 0 | 1 {
  if (failOn === 'never') return 0;
  if (failOn === 'warn') return verdict === 'pass' ? 0 : 1;
  return verdict === 'fail' ? 1 : 0;
}

/** Two summaries added up (a sweep's, from its reports). */
export function addSummaries(a: Summary, b: Summary): Summary {
  return {
    pass: a.pass + b.pass,
    info: a.info + b.info,
    warn: a.warn + b.warn,
    fail: a.fail + b.fail,
    skip: a.skip + b.skip,
    error: a.error + b.error,
  };
}
