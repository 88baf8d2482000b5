import { type CodeSpec, checksOf, statusesOf } from './catalog/define.js';
import { CATALOG } from './catalog/index.js';
import { fillTemplate } from './catalog/template.js';

/** A check as docs/codes.md heads its section. */
export interface CheckHeading {
  id: string;
  title: string;
}

/**
 * docs/codes.md, generated from the catalog so the two cannot drift (a test compares them): one section
 * per check in report order, each code with its status, cause, how to confirm and the fix, whose
 * placeholders show as NAMES (a run fills in the real values).
 */
export function renderCodesMarkdown(checks: readonly CheckHeading[]): string {
  const out: string[] = [
    '# Finding codes',
    '',
    '<!-- Generated from src/report/catalog/ by `npm run docs:codes`. Do not edit by hand. -->',
    '',
    'Every finding in an irsa-doctor report carries one of these codes. Each entry says which check emits',
    'it, its status, what causes it, how to confirm it by hand, and the exact fix. In a report the fix',
    'names the real namespace, ServiceAccount, role and host where the run knows them; here they show as',
    'NAMES. Codes are stable: scripts may match on them.',
    '',
  ];
  const entries = Object.entries(CATALOG as Record<string, CodeSpec>);
  for (const check of checks) {
    const own = entries.filter(([, spec]) => checksOf(spec)[0] === check.id);
    if (own.length === 0) continue;
    out.push(`## ${check.id}: ${check.title}`, '');
    for (const [code, spec] of own) out.push(...entry(code, spec));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function entry(code: string, spec: CodeSpec): string[] {
  const lines = [`### ${code}`, '', `**${spec.title}**`, ''];
  lines.push(`- **Status:** ${statusText(spec)}`);
  const others = checksOf(spec).slice(1);
  if (others.length > 0) lines.push(`- **Also emitted by:** ${others.join(', ')}`);
  lines.push(`- **Cause:** ${spec.cause}`);
  lines.push(`- **Confirm:** ${fillTemplate(spec.confirm)}`);
  if (spec.fix === undefined) lines.push('- **Fix:** None.');
  else if (typeof spec.fix === 'string') lines.push(`- **Fix:** ${indentLines(fillTemplate(spec.fix))}`);
  else {
    const how =
      spec.steps?.style === 'inline'
        ? `the ones that apply, numbered after "${spec.steps.intro}"`
        : spec.steps
          ? 'the steps that apply, numbered in this order'
          : 'by case';
    lines.push(`- **Fix**, ${how}:`);
    for (const [variant, text] of Object.entries(spec.fix))
      lines.push(`  - *${humanize(variant)}:* ${indentLines(fillTemplate(text), '    ')}`);
  }
  lines.push('');
  return lines;
}

function statusText(spec: CodeSpec): string {
  if (typeof spec.status === 'string') return spec.status;
  return statusesOf(spec)
    .map((s) => `${s} when ${(spec.status as Record<string, string>)[s]}`)
    .join('; ');
}

function humanize(variant: string): string {
  return variant.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Keeps multi-line fixes (a policy document) inside their list item. */
function indentLines(text: string, pad = '  '): string {
  return text.replace(/\n/g, `\n${pad}`);
}
