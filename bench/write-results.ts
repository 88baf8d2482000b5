import { readFileSync, writeFileSync } from 'node:fs';

export const DOC = 'docs/performance.md';
const BEGIN =
  '<!-- bench:results:begin (written by `npm run bench -- --write`; edit outside the markers) -->';
const END = '<!-- bench:results:end -->';

/** Replaces what lies between the results markers of docs/performance.md; the prose around stays. */
export function writeResults(markdown: string, file = DOC): void {
  const doc = readFileSync(file, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} lacks the results markers:\n${BEGIN}\n${END}`);
  writeFileSync(file, `${doc.slice(0, a + BEGIN.length)}\n\n${markdown}\n${doc.slice(b)}`);
}
