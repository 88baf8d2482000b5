import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_HEADINGS } from '../../../src/check-headings.js';
import { renderCodesMarkdown } from '../../../src/report/codes-markdown.js';

describe('docs/codes.md', () => {
  it('is generated from the catalog (run `npm run docs:codes`)', () => {
    expect(readFileSync('docs/codes.md', 'utf8')).toBe(renderCodesMarkdown(CHECK_HEADINGS));
  });

  it('shows placeholders as NAMES and every status of a code that may take several', () => {
    const md = renderCodesMarkdown(CHECK_HEADINGS);
    expect(md).toContain('kubectl annotate sa SERVICE_ACCOUNT -n NAMESPACE');
    expect(md).not.toContain('{{');
    expect(md).toMatch(/### ENV-PARTIAL[\s\S]*?\*\*Status:\*\* fail when [^;]+; warn when/);
  });
});
