import { CATALOG_SECTIONS } from './codes/index.js';

/** docs/codes.md, generated from the catalog so the two cannot drift (a test compares them). */
export function renderCodesMarkdown(): string {
  const out: string[] = [
    '# Finding codes',
    '',
    '<!-- Generated from src/report/codes/ by `npm run docs:codes`. Do not edit by hand. -->',
    '',
    'Every finding in an irsa-doctor report carries one of these codes. Each entry says what causes it,',
    'how to confirm it by hand, and the exact fix. Codes are stable: scripts may match on them.',
    '',
  ];
  for (const { area, codes } of CATALOG_SECTIONS) {
    const entries = Object.entries(codes);
    if (entries.length === 0) continue;
    out.push(`## ${area}`, '');
    for (const [code, info] of entries) {
      out.push(`### ${code}`, '', `**${info.title}**`, '');
      out.push(`- **Cause:** ${info.cause}`);
      out.push(`- **Confirm:** ${info.confirm}`);
      out.push(`- **Fix:** ${info.fix}`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
