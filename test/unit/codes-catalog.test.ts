import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, isKnownCode } from '../../src/report/codes/index.js';
import { renderCodesMarkdown } from '../../src/report/codes-markdown.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Codes passed to the finding constructors: pass('CODE', ...), fail("CODE", ...), code: 'CODE'. */
function emittedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const re = /(?:\b(?:pass|info|warn|fail|skip)\(\s*|\bcode:\s*)['"]([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)['"]/g;
  for (const file of [...sourceFiles('src/agent'), ...sourceFiles('src/launcher')]) {
    for (const m of readFileSync(file, 'utf8').matchAll(re)) found.set(m[1]!, file);
  }
  return found;
}

describe('codes catalog', () => {
  it('knows every code the agent and launcher emit', () => {
    const unknown = [...emittedCodes()].filter(([code]) => !isKnownCode(code)).map(([c, f]) => `${c} (${f})`);
    expect(unknown).toEqual([]);
  });

  it('gives every code a cause, a way to confirm and a fix', () => {
    for (const [code, info] of Object.entries(CATALOG)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/);
      for (const field of ['title', 'cause', 'confirm', 'fix'] as const) {
        expect(info[field].trim().length, `${code}.${field}`).toBeGreaterThan(0);
      }
    }
  });

  it('docs/codes.md is generated from the catalog (run `npm run docs:codes`)', () => {
    expect(readFileSync('docs/codes.md', 'utf8')).toBe(renderCodesMarkdown());
  });
});
