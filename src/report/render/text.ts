import { redact } from '../../lib/redact.js';
import type { CheckStatus, Report } from '../types.js';
import { visible } from './visible.js';

export interface TextOptions {
  color: boolean;
}

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

/**
 * One aligned line per finding, remediation indented beneath; checks that errored say why. Every value
 * is shown with its control characters escaped (visible()): a report carries words from tokens,
 * variables and servers, and none of them may move the cursor, retitle the window or add a line. The
 * only line breaks and escape sequences in the output are the renderer's own (and a fix's own lines).
 */
export function renderText(report: Report, opts: TextOptions): string {
  const paint = (status: CheckStatus, text: string) =>
    opts.color ? `\x1b[${COLOR[status]}m${text}\x1b[0m` : text;
  const bold = (text: string) => (opts.color ? `\x1b[1m${text}\x1b[0m` : text);
  const codeWidth = Math.max(12, ...report.checks.flatMap((c) => c.findings.map((f) => f.code.length)));
  const lines: string[] = [];
  const ctx = report.context;
  const who =
    ctx.namespace || ctx.serviceAccount
      ? `${ctx.namespace ?? '?'}/${ctx.serviceAccount ?? '?'}`
      : 'unknown pod';
  lines.push(bold(`irsa-doctor ${visible(report.tool.version)}: ${visible(who)}`));
  const facts = [
    `mechanism=${ctx.mechanism}`,
    ctx.roleArn ? `role=${ctx.roleArn}` : undefined,
    ctx.region ? `region=${ctx.region}` : undefined,
    ctx.pod ? `pod=${ctx.pod}` : undefined,
    ctx.node ? `node=${ctx.node}` : undefined,
  ].filter((f): f is string => f !== undefined);
  lines.push(`  ${facts.map(visible).join('  ')}`);
  for (const check of report.checks) {
    lines.push('');
    lines.push(
      `${bold(visible(check.title))} ${dim(`[${visible(check.id)}, ${check.durationMs} ms]`, opts.color)}`,
    );
    if (check.status === 'error') {
      lines.push(
        `  ${paint('error', LABEL.error.padEnd(5))} ${'CHECK-ERROR'.padEnd(codeWidth)}  ${visible(check.error ?? '')}`,
      );
    }
    for (const f of check.findings) {
      lines.push(
        `  ${paint(f.status, LABEL[f.status].padEnd(5))} ${visible(f.code).padEnd(codeWidth)}  ${visible(f.message)}`,
      );
      if (f.remediation) {
        const pad = ' '.repeat(8 + codeWidth);
        // The fix's line breaks are the catalog template's (values filled in cannot add one).
        const [first, ...rest] = f.remediation.split('\n').map(visible);
        lines.push(`${pad}fix: ${first}`);
        for (const r of rest) lines.push(`${pad}     ${r}`);
      }
    }
  }
  const s = report.summary;
  lines.push('');
  const counts = `${s.pass} pass, ${s.info} info, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error`;
  lines.push(
    `${bold('Verdict:')} ${paint(report.verdict, report.verdict.toUpperCase())} (${counts}) in ${report.durationMs} ms`,
  );
  return `${redact(lines.join('\n'))}\n`;
}

function dim(text: string, color: boolean): string {
  return color ? `\x1b[2m${text}\x1b[0m` : text;
}
