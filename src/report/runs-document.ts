import { ignoreEach, ignoreFindings } from './ignore-findings.js';
import { addSummaries, summarize, verdictOf } from './summary.js';
import type { Finding, Report, Summary, Verdict } from './types.js';

/** One ServiceAccount's report in a sweep. */
export interface SweepRun {
  namespace: string;
  serviceAccount: string;
  /** Why a sweep picked it (run --all): its role annotation, its EKS Pod Identity association, or both. */
  mechanism?: SweepMechanism;
  report: Report;
}

/** What the cluster configures for a ServiceAccount; the report's context.mechanism is what the pod got. */
export type SweepMechanism = 'irsa' | 'pod-identity' | 'irsa+pod-identity';

/**
 * What `irsa-doctor run --all -o json` and `audit --all -o json` print (docs/sweep.schema.json): one
 * report per ServiceAccount, each exactly what a single run prints, findings about the sweep itself
 * (e.g. the ServiceAccounts could not be listed), and the sweep's totals and verdict.
 */
export interface RunsDocument {
  schemaVersion: 1;
  runs: SweepRun[];
  findings?: Finding[];
  /** Every report's summary added up, plus the sweep's own findings. */
  summary: Summary;
  /** The worst of the reports' verdicts and the sweep's own findings. */
  verdict: Verdict;
}

/** The sweep document with its summary and verdict computed from what it holds. */
export function runsDocument(runs: SweepRun[], findings: Finding[] = []): RunsDocument {
  const own = summarize([{ id: 'sweep', title: 'sweep', status: 'pass', durationMs: 0, findings }]);
  const summary = runs.reduce((sum, r) => addSummaries(sum, r.report.summary), own);
  return {
    schemaVersion: 1,
    runs,
    ...(findings.length > 0 ? { findings } : {}),
    summary,
    verdict: verdictOf(summary),
  };
}

/** ignoreFindings over every report of the sweep and its own findings; totals recomputed. */
export function ignoreInRuns(doc: RunsDocument, codes: ReadonlySet<string>): RunsDocument {
  if (codes.size === 0) return doc;
  return runsDocument(
    doc.runs.map((r) => ({ ...r, report: ignoreFindings(r.report, codes) })),
    ignoreEach(doc.findings ?? [], codes),
  );
}
