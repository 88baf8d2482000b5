// Renders result rows as one Markdown table plus notes; the same text goes to the terminal and,
// with --write, into docs/performance.md between the results markers.
import type { RowResult } from './judge-row.js';

export interface MachineInfo {
  lines: string[];
}

const n0 = (v: number) => String(Math.round(v));

export function resultsMarkdown(rows: RowResult[], machine: MachineInfo): string {
  const out: string[] = [...machine.lines.map((l) => `- ${l}`), ''];
  out.push(
    '| Scenario | Runs | Wall ms median / p90 / max | Peak RSS MB median / max | Target | Measured | Result |',
  );
  out.push('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const wall = `${n0(r.wall.median)} / ${n0(r.wall.p90)} / ${n0(r.wall.max)}`;
    const rss = r.rssMb ? `${r.rssMb.median.toFixed(1)} / ${r.rssMb.max.toFixed(1)}` : '–';
    const head = [`${r.scenario.title} \`${r.scenario.id}\``, String(r.wall.n), wall, rss];
    const lines = r.judged.length ? r.judged : [{ target: 'reference', measured: '', ok: true }];
    lines.forEach((j, i) => {
      const result = r.problems.length ? 'INVALID' : j.target === 'reference' ? '–' : j.ok ? 'pass' : 'MISS';
      const cells = i === 0 ? head : ['', '', '', ''];
      out.push(`| ${[...cells, j.target, j.measured || '–', result].join(' | ')} |`);
    });
  }
  out.push('', 'Notes per scenario:', '');
  for (const r of rows) {
    const lines = [
      ...(r.scenario.describe ? [r.scenario.describe] : []),
      ...r.notes,
      ...r.problems.map((p) => `INVALID run: ${p}`),
    ];
    if (lines.length === 0) continue;
    out.push(`- \`${r.scenario.id}\`: ${lines[0]}`);
    for (const l of lines.slice(1)) out.push(`  - ${l}`);
  }
  return `${out.join('\n')}\n`;
}

/** Pass/miss/invalid counts for the exit code and the last line. */
export function verdictOf(rows: RowResult[]): { invalid: number; missed: number; passed: number } {
  let missed = 0;
  let passed = 0;
  for (const r of rows) for (const j of r.judged) j.ok ? passed++ : missed++;
  return { invalid: rows.filter((r) => r.problems.length > 0).length, missed, passed };
}
