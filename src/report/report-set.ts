import type { RunsDocument } from './runs-document.js';
import type { Finding, Report, Summary, Verdict } from './types.js';

/** One report of a set, under the name a reader knows it by (`camunda/zeebe`, a component). */
export interface ReportSetEntry {
  name: string;
  /** What the cluster configures for it (a run --all sweep knows): a column of the text table. */
  mechanism?: string;
  report: Report;
}

/**
 * Reports shown together, whatever produced them: a `run --all` or `audit --all` sweep (one report per
 * ServiceAccount), a Camunda release (one per component), or a single report. The text table, SARIF,
 * JUnit and Markdown renderers take this, so each command only says what its entries are called.
 */
export interface ReportSet {
  /** What an entry is, as a table heading: `NAMESPACE/SERVICEACCOUNT`, `COMPONENT`. */
  subject: string;
  entries: ReportSetEntry[];
  /** Findings about the set itself (e.g. the ServiceAccounts could not be listed). */
  findings: Finding[];
  summary: Summary;
  verdict: Verdict;
}

/** A sweep document as a set: its entries named NAMESPACE/SERVICEACCOUNT. */
export function setOfRuns(doc: RunsDocument): ReportSet {
  return {
    subject: 'NAMESPACE/SERVICEACCOUNT',
    entries: doc.runs.map((r) => ({
      name: `${r.namespace}/${r.serviceAccount}`,
      ...(r.mechanism ? { mechanism: r.mechanism } : {}),
      report: r.report,
    })),
    findings: doc.findings ?? [],
    summary: doc.summary,
    verdict: doc.verdict,
  };
}

/** One report as a set of one, named after the ServiceAccount it is about. */
export function setOfReport(report: Report): ReportSet {
  return {
    subject: 'NAMESPACE/SERVICEACCOUNT',
    entries: [{ name: reportName(report), report }],
    findings: [],
    summary: report.summary,
    verdict: report.verdict,
  };
}

/** NAMESPACE/SERVICEACCOUNT as the report's header knows them. */
export function reportName(report: Report): string {
  const { namespace, serviceAccount } = report.context;
  return namespace || serviceAccount ? `${namespace ?? '?'}/${serviceAccount ?? '?'}` : 'unknown pod';
}
