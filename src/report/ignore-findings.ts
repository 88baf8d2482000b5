import { checkStatusOf, summarize, verdictOf } from './summary.js';
import type { Finding, FindingStatus, Report } from './types.js';

/** What `details.ignored` holds on a finding the user acknowledged. */
export interface IgnoredMark {
  by: 'user';
  /** The status the finding had before it was ignored. */
  status: FindingStatus;
}

/**
 * The findings the user acknowledged (--ignore CODE, IRSA_DOCTOR_IGNORE) become `info`, and stay in the
 * report marked `details.ignored` with the status they had, so a known, accepted warning (IMDS on a
 * cluster that allows it) stops failing a pipeline without disappearing from what a reader sees.
 * Only warn and fail findings are downgraded; a check that errored is not a finding and stays.
 */
export function ignoreFindings(report: Report, codes: ReadonlySet<string>): Report {
  if (codes.size === 0) return report;
  const checks = report.checks.map((c) => {
    if (!c.findings.some((f) => isIgnored(f, codes))) return c;
    const findings = c.findings.map((f) => (isIgnored(f, codes) ? ignored(f) : f));
    return { ...c, findings, status: c.status === 'error' ? c.status : checkStatusOf(findings) };
  });
  const summary = summarize(checks);
  return { ...report, checks, summary, verdict: verdictOf(summary) };
}

/** The same for findings outside any report (a sweep's own). */
export function ignoreEach(findings: readonly Finding[], codes: ReadonlySet<string>): Finding[] {
  return findings.map((f) => (isIgnored(f, codes) ? ignored(f) : f));
}

/** The status a finding had before the user ignored it; undefined when it was not ignored. */
export function ignoredStatus(f: Finding): FindingStatus | undefined {
  const mark = f.details?.ignored as Partial<IgnoredMark> | undefined;
  return mark?.by === 'user' ? mark.status : undefined;
}

function isIgnored(f: Finding, codes: ReadonlySet<string>): boolean {
  return codes.has(f.code) && (f.status === 'warn' || f.status === 'fail');
}

function ignored(f: Finding): Finding {
  const mark: IgnoredMark = { by: 'user', status: f.status };
  return { ...f, status: 'info', details: { ...f.details, ignored: mark } };
}
