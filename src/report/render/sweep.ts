import { redact, redactDeep } from '../../lib/redact.js';
import { ignoredStatus } from '../ignore-findings.js';
import type { ReportSet } from '../report-set.js';
import type { RunsDocument } from '../runs-document.js';
import type { Report, Verdict } from '../types.js';
import { jsonText } from './json.js';
import { renderText, type TextOptions } from './text.js';
import { visible } from './visible.js';
import { layoutFix, wrapText } from './wrap.js';

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

/**
 * Several reports for a person: each report in full first, then the findings about the set itself,
 * then the table (one row per entry) and the overall verdict last, where the eye lands when the
 * output stops scrolling.
 */
export function renderSetText(set: ReportSet, opts: TextOptions): string {
  const paint = (v: Verdict, s: string) => (opts.color ? `\x1b[${VERDICT_COLOR[v]}m${s}\x1b[0m` : s);
  const width = opts.width ?? 80;
  const out: string[] = [];
  for (const e of set.entries) out.push(`==== ${visible(e.name)}`, renderText(e.report, opts));
  const own: string[] = [];
  for (const f of set.findings) {
    // Spaced like a report's findings, an ignored one saying so.
    const was = ignoredStatus(f);
    const note = was ? ` (${was.toUpperCase()}, ignored by the user)` : '';
    const label = `${f.status.toUpperCase().padEnd(5)} ${visible(f.code)}${note}  `;
    own.push(...wrapText(visible(f.message), width, label, '      '));
    if (f.remediation) own.push(...layoutFix(f.remediation, width, '      Fix: ', '           ', visible));
    own.push('');
  }
  // Names come from the API server and codes from the reports: shown escaped, like every value.
  // The MECHANISM column only where the set knows it (run --all), so audit --all's table is unchanged.
  const withMechanism = set.entries.some((e) => e.mechanism !== undefined);
  const rows = set.entries.map((e) => ({
    who: visible(e.name),
    mechanism: visible(e.mechanism ?? '-'),
    verdict: e.report.verdict,
    fail: String(e.report.summary.fail + e.report.summary.error),
    warn: String(e.report.summary.warn),
    first: visible(firstFailure(e.report)),
  }));
  const head = {
    who: set.subject,
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
  const line = (r: typeof head, color = (s: string) => s) =>
    `${r.who.padEnd(w.who)}  ${withMechanism ? `${r.mechanism.padEnd(w.mechanism)}  ` : ''}${color(r.verdict.toUpperCase().padEnd(w.verdict))}  ${r.fail.padStart(w.fail)}  ${r.warn.padStart(w.warn)}  ${r.first}`;
  const table = [line(head), ...rows.map((r) => line(r, (s) => paint(r.verdict as Verdict, s)))];
  const counted = (v: Verdict) => set.entries.filter((e) => e.report.verdict === v).length;
  const tally = `${set.entries.length} checked: ${counted('fail')} fail, ${counted('warn')} warn, ${counted('pass')} pass`;
  const verdict = `Verdict: ${paint(set.verdict, set.verdict.toUpperCase())} (${tally})`;
  const tail = [...own, ...(set.entries.length > 0 ? [...table, ''] : []), verdict];
  return `${out.join('\n')}${out.length > 0 ? '\n' : ''}${redact(tail.join('\n'))}\n`;
}
