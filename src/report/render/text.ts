import { redact } from '../../lib/redact.js';
import { ignoredStatus } from '../ignore-findings.js';
import type { CheckResult, CheckStatus, Finding, Report } from '../types.js';
import { visible } from './visible.js';
import { layoutFix, truncate, wrapText, wrapWords } from './wrap.js';

export interface TextOptions {
  color: boolean;
  /** Columns to wrap at (the terminal's width, COLUMNS, else 80). */
  width?: number;
  /** Every finding of every check, passes and skips included (-v). */
  verbose?: boolean;
}

export const DEFAULT_TEXT_WIDTH = 80;

const LABEL: Record<CheckStatus, string> = {
  pass: 'PASS',
  info: 'INFO',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERROR',
};

const COLOR: Record<CheckStatus, string> = {
  pass: '32',
  info: '36',
  warn: '33',
  fail: '31',
  skip: '90',
  error: '35',
};

/** Where a check's findings start: under its title. */
const FINDING_INDENT = '      ';
/** Where a finding's message continues and its fix starts. */
const BODY_INDENT = '        ';
const FIX_LABEL = 'Fix: ';

/**
 * The report for a person: one line per check that passed or was skipped (status, title, id and time),
 * every other finding in full under its check (all of them with `verbose`), wrapped to the width with a
 * hanging indent and fixes laid out so their commands stay whole (wrap.ts); then the problems again,
 * one line each, and the verdict. Every value is shown with its control characters escaped (visible()):
 * a report carries words from tokens, variables and servers, and none of them may move the cursor,
 * retitle the window or add a line. The only line breaks and escape sequences are the renderer's own.
 */
export function renderText(report: Report, opts: TextOptions): string {
  const width = opts.width ?? DEFAULT_TEXT_WIDTH;
  const paint = painter(opts.color);
  const lines: string[] = [...header(report, width, paint)];
  const timeWidth = Math.max(...report.checks.map((c) => `${c.durationMs} ms`.length), 0);
  const longest = Math.max(...report.checks.map((c) => visible(c.title).length), 0);
  const besideId = width - CHECK_LINE_EXTRA - timeWidth - idColumn(report);
  const titleWidth = Math.min(
    longest,
    Math.max(10, besideId >= longest ? besideId : width - CHECK_LINE_EXTRA - timeWidth),
  );
  lines.push('');
  for (const check of report.checks)
    lines.push(...checkLines(check, { title: titleWidth, time: timeWidth }, width, opts, paint));
  const problems = problemLines(report, width, paint);
  if (problems.length > 0) lines.push('', paint.bold('Problems:'), ...problems);
  lines.push('', ...verdictLines(report, width, paint));
  return `${redact(lines.join('\n'))}\n`;
}

interface Paint {
  status(status: CheckStatus, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

function painter(color: boolean): Paint {
  const sgr = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    status: (status, text) => sgr(COLOR[status], text),
    bold: (text) => sgr('1', text),
    dim: (text) => sgr('2', text),
  };
}

function header(report: Report, width: number, paint: Paint): string[] {
  const ctx = report.context;
  const who =
    ctx.namespace || ctx.serviceAccount
      ? `${ctx.namespace ?? '?'}/${ctx.serviceAccount ?? '?'}`
      : 'unknown pod';
  const facts = [
    `mechanism=${ctx.mechanism}`,
    ctx.roleArn ? `role=${ctx.roleArn}` : undefined,
    ctx.region ? `region=${ctx.region}` : undefined,
    ctx.pod ? `pod=${ctx.pod}` : undefined,
    ctx.node ? `node=${ctx.node}` : undefined,
  ].filter((f): f is string => f !== undefined);
  return [
    paint.bold(`irsa-doctor ${visible(report.tool.version)}: ${visible(who)}`),
    ...wrapWords(facts.map(visible), width, '  ', '  ', '  '),
  ];
}

/** Columns of a check line besides its title, time and id: the label and the gap before the time. */
const CHECK_LINE_EXTRA = 6 + 2;

/**
 * Room for the check ids (`  [token-claims]`, what --only takes), shown only where every title fits
 * beside them: a whole title matters more to a reader than the id (-o json and --list have the ids).
 */
function idColumn(report: Report): number {
  return 2 + Math.max(0, ...report.checks.map((c) => visible(c.id).length + 2));
}

/**
 * A check as one line: status, title (cut to fit), time, and its id (for --only) where the width leaves
 * room for it.
 */
function checkLines(
  check: CheckResult,
  columns: { title: number; time: number },
  width: number,
  opts: TextOptions,
  paint: Paint,
): string[] {
  const label = LABEL[check.status].padEnd(5);
  const title = truncate(visible(check.title), columns.title).padEnd(columns.title);
  const time = `${check.durationMs} ms`.padStart(columns.time);
  const id = `[${visible(check.id)}]`;
  const room = width - (6 + columns.title + 2 + columns.time);
  const lines = [
    `${paint.status(check.status, label)} ${title}  ${paint.dim(time)}${room >= id.length + 2 ? `  ${paint.dim(id)}` : ''}`,
  ];
  if (check.status === 'error')
    lines.push(
      ...labelled(
        `${FINDING_INDENT}ERROR `,
        'error',
        visible(check.error ?? 'the check crashed'),
        width,
        paint,
      ),
    );
  const shown = opts.verbose
    ? check.findings
    : check.findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
  for (const f of shown) lines.push(...findingLines(f, width, paint));
  return lines;
}

function findingLines(f: Finding, width: number, paint: Paint): string[] {
  const was = ignoredStatus(f);
  const note = was ? ` (${LABEL[was]}, ignored by the user)` : '';
  const first = `${FINDING_INDENT}${LABEL[f.status].padEnd(5)} ${visible(f.code)}${note}  `;
  const lines = labelled(first, f.status, visible(f.message), width, paint);
  if (f.remediation)
    lines.push(
      ...layoutFix(
        f.remediation,
        width,
        `${BODY_INDENT}${FIX_LABEL}`,
        `${BODY_INDENT}${' '.repeat(FIX_LABEL.length)}`,
        visible,
      ),
    );
  return lines;
}

/** Text after a status label, wrapped under the finding; the label painted once laid out. */
function labelled(first: string, status: CheckStatus, text: string, width: number, paint: Paint): string[] {
  const lines = wrapText(text, width, first, BODY_INDENT);
  const label = LABEL[status];
  const at = first.indexOf(label);
  lines[0] = `${first.slice(0, at)}${paint.status(status, label)}${lines[0]!.slice(at + label.length)}`;
  return lines;
}

/** Each failing or warning finding and each errored check again, one line with the first of its fix. */
function problemLines(report: Report, width: number, paint: Paint): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    if (check.status === 'error') {
      const text = `  ${LABEL.error} ${visible(check.id)}: ${visible(check.error ?? 'the check crashed')}`;
      lines.push(paintLabel(truncate(text, width), 'error', paint));
    }
    for (const f of check.findings) {
      if (f.status !== 'fail' && f.status !== 'warn') continue;
      const text = `  ${LABEL[f.status].padEnd(5)} ${visible(f.code)}  ${visible(f.message)}`;
      lines.push(paintLabel(truncate(text, width), f.status, paint));
      if (f.remediation) lines.push(...fixHead(f.remediation, width));
    }
  }
  return lines;
}

/**
 * The start of a fix for the recap: its first line as the finding shows it, and the command when the
 * fix opens with one, so nothing is cut inside a command; an ellipsis says there is more.
 */
function fixHead(fix: string, width: number): string[] {
  const laid = layoutFix(
    fix,
    width,
    `        ${FIX_LABEL}`,
    `        ${' '.repeat(FIX_LABEL.length)}`,
    visible,
  );
  const head = laid[0]!.trim() === FIX_LABEL.trim() ? laid.slice(0, 2) : laid.slice(0, 1);
  const last = head.at(-1)!;
  if (laid.length > head.length && !last.endsWith(':') && last.length + 2 <= width)
    head[head.length - 1] = `${last} …`;
  return head;
}

function paintLabel(line: string, status: CheckStatus, paint: Paint): string {
  const label = LABEL[status];
  const at = line.indexOf(label);
  return `${line.slice(0, at)}${paint.status(status, label)}${line.slice(at + label.length)}`;
}

/** The verdict and the counts, wrapped like everything else; `Verdict:` and the verdict painted. */
function verdictLines(report: Report, width: number, paint: Paint): string[] {
  const s = report.summary;
  const counts = `${s.pass} pass, ${s.info} info, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error`;
  const verdict = report.verdict.toUpperCase();
  const lines = wrapText(`${verdict} (${counts}) in ${report.durationMs} ms`, width, 'Verdict: ', '  ');
  lines[0] = `${paint.bold('Verdict:')} ${paint.status(report.verdict, verdict)}${lines[0]!.slice(`Verdict: ${verdict}`.length)}`;
  return lines;
}
