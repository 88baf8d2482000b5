import { redact } from '../../lib/redact.js';
import { docsLink } from '../docs-link.js';
import { parseFix } from '../fix-markup.js';
import { ignoredStatus } from '../ignore-findings.js';
import type { ReportSet } from '../report-set.js';
import type { CheckStatus, Finding, Report } from '../types.js';
import { firstFailure } from './sweep.js';
import { visible } from './visible.js';

const MARK: Record<CheckStatus, string> = {
  pass: '✅',
  info: 'ℹ️',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  error: '💥',
};

/**
 * Markdown for a GitHub step summary or a pull request comment: the verdict as a heading, a table (the
 * checks of one report, or one row per entry of a set), then each finding that is not a pass or a skip
 * as a collapsible section with its message, its fix (commands as code, documents as fenced blocks) and
 * its documentation link. Values are escaped for Markdown and HTML, control characters shown escaped.
 */
export function renderMarkdown(set: ReportSet): string {
  const out: string[] = [];
  if (set.entries.length === 1 && set.findings.length === 0) {
    const e = set.entries[0]!;
    out.push(
      `## ${MARK[e.report.verdict]} irsa-doctor: ${e.report.verdict.toUpperCase()} for ${md(e.name)}`,
      '',
    );
    out.push(...reportBody(e.report));
  } else {
    out.push(`## ${MARK[set.verdict]} irsa-doctor: ${set.verdict.toUpperCase()}`, '');
    if (set.entries.length > 0) {
      out.push(
        `| | ${md(set.subject)} | Verdict | Fail | Warn | First failing code |`,
        '|---|---|---|---:|---:|---|',
      );
      for (const e of set.entries) {
        const s = e.report.summary;
        const first = firstFailure(e.report);
        out.push(
          `| ${MARK[e.report.verdict]} | ${md(e.name)} | ${e.report.verdict} | ${s.fail + s.error} | ${s.warn} | ${first === '-' ? '' : `\`${cell(first)}\``} |`,
        );
      }
      out.push('');
    }
    for (const f of set.findings) out.push(...findingSection(f));
    for (const e of set.entries) {
      out.push(
        `<details><summary>${MARK[e.report.verdict]} <b>${html(e.name)}</b>: ${e.report.verdict}</summary>`,
        '',
      );
      out.push(...reportBody(e.report), '</details>', '');
    }
  }
  return `${redact(out.join('\n').trimEnd())}\n`;
}

function reportBody(report: Report): string[] {
  const ctx = report.context;
  const facts = [
    `mechanism \`${cell(ctx.mechanism)}\``,
    ctx.roleArn ? `role \`${cell(ctx.roleArn)}\`` : undefined,
    ctx.region ? `region \`${cell(ctx.region)}\`` : undefined,
    ctx.pod ? `pod \`${cell(ctx.pod)}\`` : undefined,
    ctx.node ? `node \`${cell(ctx.node)}\`` : undefined,
  ].filter(Boolean);
  const s = report.summary;
  const out = [
    `${facts.join(' · ')}  `,
    `${s.pass} pass, ${s.info} info, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error in ${report.durationMs} ms`,
    '',
    '| | Check | Time | Findings |',
    '|---|---|---:|---|',
  ];
  for (const c of report.checks) {
    const codes = c.findings
      .filter((f) => f.status !== 'pass' && f.status !== 'skip')
      .map((f) => `\`${cell(f.code)}\``);
    if (c.status === 'error') codes.unshift(`did not finish: ${md(c.error ?? 'it crashed')}`);
    out.push(
      `| ${MARK[c.status]} | ${md(c.title)} (\`${cell(c.id)}\`) | ${c.durationMs} ms | ${codes.join(' ')} |`,
    );
  }
  out.push('');
  for (const c of report.checks)
    for (const f of c.findings)
      if (f.status !== 'pass' && f.status !== 'skip') out.push(...findingSection(f));
  return out;
}

function findingSection(f: Finding): string[] {
  const was = ignoredStatus(f);
  const note = was ? ` (${was}, ignored by the user)` : '';
  const out = [
    `<details><summary>${MARK[f.status]} <code>${html(f.code)}</code>${note}: ${html(f.message)}</summary>`,
    '',
    md(f.message),
    '',
  ];
  if (f.remediation) out.push(...fixMarkdown(f.remediation), '');
  out.push(`[${md(f.code)} in docs/codes.md](${f.docs ?? docsLink(f.code)})`, '', '</details>', '');
  return out;
}

/** The fix with its marks as Markdown: code spans stay code, fenced documents stay fenced. */
function fixMarkdown(fix: string): string[] {
  const out: string[] = [];
  let first = true;
  for (const b of parseFix(fix)) {
    if (b.kind === 'code-block') {
      out.push('', `\`\`\`${b.lang}`, ...b.lines.map(visible), '```', '');
    } else {
      const text = b.parts.map((p) => (p.kind === 'code' ? code(p.text) : md(p.text))).join('');
      out.push(`${first ? '**Fix:** ' : ''}${text}  `);
    }
    first = false;
  }
  return out;
}

/** Inline code whose content cannot end the span early: fenced with more backticks than it holds. */
function code(s: string): string {
  const v = visible(s);
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return v.startsWith('`') || v.endsWith('`') ? `${fence} ${v} ${fence}` : `${fence}${v}${fence}`;
}

/**
 * Prose: the punctuation Markdown acts on backslash-escaped (and what would start a heading, a list or a
 * quote at the start), so a value cannot make a link, emphasis, a table cell, a heading or HTML.
 */
function md(s: string): string {
  return visible(s)
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+=>-]|\d+\.)/, '$1\\$2');
}

/** Text inside a table cell's code span: no `|` (it would end the cell) and no backtick. */
function cell(s: string): string {
  return visible(s).replace(/\|/g, '¦').replace(/`/g, "'");
}

/** Text inside HTML (a <summary>), where Markdown is not read. */
function html(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
