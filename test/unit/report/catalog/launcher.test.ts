import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusesOf } from '../../../../src/report/catalog/define.js';
import { specOf } from '../../../../src/report/catalog/index.js';
import { LAUNCHER_CODES } from '../../../../src/report/catalog/launcher.js';

const SRC = join(import.meta.dirname, '../../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The launcher's sources, plus the report merge that adds LAUNCH-AGENT-NOT-RUN. */
const sources = [...sourceFiles(join(SRC, 'launcher')), join(SRC, 'report/merge-report.ts')].map((file) => ({
  file,
  text: readFileSync(file, 'utf8'),
}));

/** The text of every file that makes a finding with this code. */
function emitters(code: string): string[] {
  return sources.filter((s) => s.text.includes(`'${code}'`)).map((s) => s.text);
}

describe('launcher codes', () => {
  it('every LAUNCH-* code the launcher source emits is in the catalog', () => {
    const codes = new Set<string>();
    for (const { text } of sources) for (const m of text.matchAll(/'(LAUNCH-[A-Z-]+)'/g)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(15);
    expect([...codes].filter((c) => specOf(c) === undefined)).toEqual([]);
  });

  it('every launcher code in the catalog is emitted somewhere', () => {
    expect(Object.keys(LAUNCHER_CODES).filter((code) => emitters(code).length === 0)).toEqual([]);
  });

  it('every fix variant and every status a launcher code allows is chosen by the code that emits it', () => {
    const unused: string[] = [];
    for (const [code, spec] of Object.entries(LAUNCHER_CODES)) {
      const texts = emitters(code).join('\n');
      const fix = 'fix' in spec ? spec.fix : undefined;
      if (fix !== undefined && typeof fix !== 'string') {
        for (const variant of Object.keys(fix))
          if (!texts.includes(`'${variant}'`)) unused.push(`${code} fix ${variant}`);
      }
      const statuses = statusesOf(spec);
      if (statuses.length > 1) {
        for (const status of statuses)
          if (!texts.includes(`status: '${status}'`)) unused.push(`${code} status ${status}`);
      }
    }
    expect(unused).toEqual([]);
  });
});
