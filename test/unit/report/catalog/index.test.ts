// The catalog is the source of every code: this proves nothing emits a code it lacks, it lists nothing
// that no code path can emit, and each entry is complete and consistent.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_HEADINGS } from '../../../../src/check-headings.js';
import { type CodeSpec, checksOf, statusesOf } from '../../../../src/report/catalog/define.js';
import { CATALOG, specOf } from '../../../../src/report/catalog/index.js';
import { fillTemplate, placeholdersOf } from '../../../../src/report/catalog/template.js';
import { parseFix } from '../../../../src/report/fix-markup.js';

const CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
const STATUSES = ['pass', 'info', 'warn', 'fail', 'skip'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Every quoted string in the sources outside the catalog that looks like a finding code, with the file.
 * Codes reach `finding()` as literals or as literal-typed values a classifier returns (StsCause,
 * NetCode); either way the literal stands somewhere in the sources, and the compiler checks that every
 * value given to `finding()` is a catalog code.
 */
function codeLiterals(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles('src').filter((f) => !f.startsWith(join('src', 'report', 'catalog')))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)['"`]/g)) {
      found.set(m[1]!, [...(found.get(m[1]!) ?? []), file]);
    }
  }
  return found;
}

const entries = Object.entries(CATALOG as Record<string, CodeSpec>);
const checkIds = new Set(CHECK_HEADINGS.map((c) => c.id));

describe('codes catalog', () => {
  it('knows every code-shaped literal the sources use (a typo or a code missing from the catalog fails)', () => {
    // Literals with a finding code's prefix: anything else code-shaped (CERT_..., TLS names) is not one.
    const prefixes = new Set(entries.map(([code]) => code.split('-')[0]!));
    const unknown = [...codeLiterals()]
      .filter(([code]) => prefixes.has(code.split('-')[0]!) && !specOf(code))
      .map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('lists no code that nothing in the sources can emit', () => {
    const used = codeLiterals();
    expect(entries.map(([code]) => code).filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives every code a known check, allowed statuses, the texts, and a fix wherever it can warn or fail', () => {
    for (const [code, spec] of entries) {
      expect(code).toMatch(CODE);
      for (const check of checksOf(spec)) expect(checkIds, `${code}: check ${check}`).toContain(check);
      const statuses = statusesOf(spec);
      for (const s of statuses) expect(STATUSES, `${code}: status ${s}`).toContain(s);
      if (typeof spec.status !== 'string') {
        expect(statuses.length, `${code}: a status map names several statuses`).toBeGreaterThan(1);
        for (const meaning of Object.values(spec.status)) expect(meaning?.trim()).toBeTruthy();
      }
      for (const field of ['title', 'cause', 'confirm'] as const)
        expect(spec[field].trim().length, `${code}.${field}`).toBeGreaterThan(0);
      if (statuses.some((s) => s === 'warn' || s === 'fail')) expect(spec.fix, `${code}.fix`).toBeDefined();
      const fixes =
        spec.fix === undefined ? [] : typeof spec.fix === 'string' ? [spec.fix] : Object.values(spec.fix);
      if (spec.fix !== undefined && typeof spec.fix !== 'string')
        expect(fixes.length, `${code}: a variant map has variants`).toBeGreaterThan(0);
      for (const t of [...fixes, spec.confirm]) {
        expect(t.trim().length).toBeGreaterThan(0);
        // Every {{ opens a well-formed placeholder, so nothing half-filled can reach a report.
        expect(t.split('{{').length - 1, `${code}: ${t}`).toBe(placeholdersOf(t).length);
      }
    }
  });

  it('groups every check of the report under a heading docs/codes.md can link to', () => {
    for (const [code, spec] of entries) expect(checkIds.has(checksOf(spec)[0]!), code).toBe(true);
  });

  it('marks every command in a fix as code and closes every mark, so renderers can keep commands whole', () => {
    // A command name at the start of a word outside code: what the text renderer would wrap mid-command.
    const command =
      /(^|[\s(])(kubectl |eksctl |curl |getent |openssl |aws [a-z0-9-]+ [a-z]|GRANT |CREATE (USER|DATABASE) )/;
    const problems: string[] = [];
    for (const [code, spec] of entries) {
      const fixes =
        spec.fix === undefined ? [] : typeof spec.fix === 'string' ? [spec.fix] : Object.values(spec.fix);
      for (const template of fixes) {
        const fix = fillTemplate(template);
        if ((fix.match(/^```/gm) ?? []).length % 2 !== 0) problems.push(`${code}: an unclosed fence`);
        for (const block of parseFix(fix)) {
          if (block.kind !== 'paragraph') continue;
          for (const part of block.parts) {
            if (part.kind !== 'text') continue;
            if (part.text.includes('`')) problems.push(`${code}: an unpaired backtick in "${part.text}"`);
            const m = command.exec(part.text);
            if (m) problems.push(`${code}: "${m[2]}" outside a code span in "${part.text}"`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
