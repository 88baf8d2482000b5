import { redact, redactDeep } from '../../lib/redact.js';
import type { Finding, Report, Verdict } from '../types.js';
import { jsonText } from './json.js';
import { renderText } from './text.js';
import { visible } from './visible.js';

/**
 * What `irsa-doctor run --all -o json` prints (documented in docs/launcher.md): one report per
 * ServiceAccount, each exactly what a single run prints, plus findings about the sweep itself
 * (e.g. the ServiceAccounts could not be listed).
 */
export interface RunsDocument {
  schemaVersion: 1;
  runs: Array<{
    namespace: string;
    serviceAccount: string;
    /** Why a sweep picked it (run --all): its role annotation, its EKS Pod Identity association, or both. */
    mechanism?: SweepMechanism;
    report: Report;
  }>;
  findings?: Finding[];
}

/** What the cluster configures for a ServiceAccount; the report's context.mechanism is what the pod got. */
export type SweepMechanism = 'irsa' | 'pod-identity' | 'irsa+pod-identity';

export function renderRunsJson(doc: RunsDocument): string {
  return jsonText(redactDeep(doc));
}

/** The first thing to fix: the first failing finding, else the first errored check. */
export function firstFailure(report: Report): string {
  for (const c of report.checks) {
    const f = c.findings.find((x) => x.status === 'fail');
    if (f) return f.code;
    if (c.status === 'error') return `${c.id} (error)`;
  }
  return '-';
}

const VERDICT_COLOR: Record<Verdict, string> = { pass: '32', warn: '33', fail: '31' };

/** One row per ServiceAccount, then each report in full. */
export function renderRunsText(doc: RunsDocument, color: boolean): string {
  // Names come from the API server and codes from the reports: shown escaped, like every value.
  // The MECHANISM column only where the sweep knows it (run --all), so audit --all's table is unchanged.
  const withMechanism = doc.runs.some((r) => r.mechanism !== undefined);
  const rows = doc.runs.map((r) => ({
    who: visible(`${r.namespace}/${r.serviceAccount}`),
    mechanism: r.mechanism ?? '-',
    verdict: r.report.verdict,
    fail: String(r.report.summary.fail + r.report.summary.error),
    warn: String(r.report.summary.warn),
    first: visible(firstFailure(r.report)),
  }));
  const head = {
    who: 'NAMESPACE/SERVICEACCOUNT',
    mechanism: 'MECHANISM',
    verdict: 'VERDICT',
    fail: 'FAIL',
    warn: 'WARN',
    first: 'FIRST FAILING CODE',
  };
  const w = {
    who: Math.max(head.who.length, ...rows.map((r) => r.who.length)),
    mechanism: Math.max(head.mechanism.length, ...rows.map((r) => r.mechanism.length)),
    verdict: head.verdict.length,
    fail: head.fail.length,
    warn: head.warn.length,
  };
  const line = (r: typeof head, paint = (s: string) => s) =>
    `${r.who.padEnd(w.who)}  ${withMechanism ? `${r.mechanism.padEnd(w.mechanism)}  ` : ''}${paint(r.verdict.toUpperCase().padEnd(w.verdict))}  ${r.fail.padStart(w.fail)}  ${r.warn.padStart(w.warn)}  ${r.first}`;
  const out: string[] = [line(head)];
  for (const r of rows) {
    const c = VERDICT_COLOR[r.verdict as Verdict];
    out.push(line(r, (s) => (color ? `\x1b[${c}m${s}\x1b[0m` : s)));
  }
  for (const f of doc.findings ?? []) {
    out.push('', `${f.status.toUpperCase()} ${visible(f.code)}  ${visible(f.message)}`);
    if (f.remediation) {
      const [first, ...rest] = f.remediation.split('\n').map(visible);
      out.push(`  fix: ${first}`, ...rest.map((r) => `       ${r}`));
    }
  }
  const text = [redact(out.join('\n'))];
  for (const r of doc.runs)
    text.push(
      `\n${'='.repeat(4)} ${visible(`${r.namespace}/${r.serviceAccount}`)}\n${renderText(r.report, { color })}`,
    );
  return `${text.join('\n')}${text.length === 1 ? '\n' : ''}`;
}

/** Worst of all runs: 1 if any failed (or the sweep itself did), else 0. */
export function runsExitCode(doc: RunsDocument): 0 | 1 {
  if (doc.findings?.some((f) => f.status === 'fail')) return 1;
  return doc.runs.some((r) => r.report.verdict === 'fail') ? 1 : 0;
}
