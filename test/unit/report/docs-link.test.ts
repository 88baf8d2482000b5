import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../src/report/catalog/index.js';
import { CODES_DOC_URL, docsLink, headingAnchor } from '../../../src/report/docs-link.js';

/** The anchors GitHub gives the headings of a Markdown file, a repeated one suffixed -1, -2, ... */
function anchors(markdown: string): Map<string, string> {
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (!m) continue;
    const base = headingAnchor(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(n === 0 ? base : `${base}-${n}`, m[1]!);
  }
  return out;
}

describe('docs links', () => {
  it('slugs headings the way GitHub does', () => {
    expect(headingAnchor('STS-TRUST-POLICY')).toBe('sts-trust-policy');
    expect(headingAnchor('sts: STS AssumeRoleWithWebIdentity (the pod token)')).toBe(
      'sts-sts-assumerolewithwebidentity-the-pod-token',
    );
  });

  it('points every code at its own heading in docs/codes.md, an anchor no other heading takes', () => {
    const doc = anchors(readFileSync('docs/codes.md', 'utf8'));
    for (const code of Object.keys(CATALOG)) {
      const link = docsLink(code);
      expect(link.startsWith(`${CODES_DOC_URL}#`), code).toBe(true);
      expect(doc.get(link.slice(CODES_DOC_URL.length + 1)), code).toBe(code);
    }
  });
});
