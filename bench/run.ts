// `npm run bench [-- flags]`: every benchmark in one process, so the numbers compare; prints one
// table, and with --write puts it into docs/performance.md. Speed and memory live here, never in tests.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { agentScenarios, baselineScenario, bundleLoadScenario } from './agent-scenarios.js';
import { auditScenarios } from './audit-scenarios.js';
import { startBenchHarness } from './bench-harness.js';
import { camundaScenarios } from './camunda-scenarios.js';
import { makeCompileCache } from './compile-cache.js';
import { judgeRow, type RowResult } from './judge-row.js';
import { launcherScenario } from './launcher-scenario.js';
import { machineInfo } from './machine-info.js';
import { detectRssProbe, type RssProbe } from './measure-process.js';
import { resultsMarkdown, verdictOf } from './results-markdown.js';
import { AGENT, type RunOutcome, type Scenario } from './scenario.js';
import { startupScenarios } from './startup-scenarios.js';
import { DOC, writeResults } from './write-results.js';

const USAGE = `Usage: npm run bench -- [flags]
  --write           rewrite the results section of ${DOC}
  --runs N          measured runs of the fast scenarios (default 10)
  --slow-runs N     runs of the scenarios that wait out a timeout (default 5; the 5 s one gets 3/5 of it)
  --only IDS        comma-separated scenario ids (baseline always runs)
  --rss gnu-time|preload   force the peak-RSS probe (default: GNU time when /usr/bin/time works)
  --strict          exit 1 when a target is missed (invalid runs always exit 1)`;

const { values } = parseArgs({
  options: {
    write: { type: 'boolean' },
    runs: { type: 'string' },
    'slow-runs': { type: 'string' },
    only: { type: 'string' },
    rss: { type: 'string' },
    strict: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = (v: string | undefined, d: number) => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a run count: ${v}`);
  return n;
};
const runs = count(values.runs, 10);
const slowRuns = count(values['slow-runs'], 5);
if (values.rss && values.rss !== 'gnu-time' && values.rss !== 'preload') throw new Error(USAGE);
const probe = detectRssProbe(values.rss as RssProbe | undefined);
const only = values.only?.split(',').map((s) => s.trim());
const wanted = (s: Scenario) => s.id === 'baseline' || !only || only.includes(s.id);

const t0 = performance.now();
const log = (s: string) => process.stderr.write(`${s}\n`);
log(`bench: Node ${process.version}, peak RSS via ${probe}; starting the loopback harness`);
const loadAtStart = loadavg()[0]!;
if (loadAtStart > availableParallelism() / 2)
  log(
    `bench: the machine is busy (1-min load ${loadAtStart.toFixed(1)} on ${availableParallelism()} CPUs): expect noisy numbers`,
  );
const h = await startBenchHarness();
const compileCache = makeCompileCache(AGENT);
const launcher = await launcherScenario(h.eks, probe, Math.max(3, Math.round(runs / 2)));
const audit = await auditScenarios(h.eks, probe, Math.max(3, Math.round(runs / 3)));
const camunda = await camundaScenarios(probe, Math.max(3, Math.round(runs / 3)));
const rows: RowResult[] = [];
try {
  const scenarios = [
    baselineScenario(probe, runs),
    bundleLoadScenario(probe, runs),
    bundleLoadScenario(probe, runs, compileCache.dir),
    ...startupScenarios(probe, runs),
    ...agentScenarios({ probe, runs, slowRuns, h, compileCacheDir: compileCache.dir }),
    launcher.scenario,
    ...audit.scenarios,
    ...camunda.scenarios,
  ].filter(wanted);
  const baseline = scenarios[0]!;
  for (const s of scenarios) {
    for (let i = 0; i < s.warmup; i++) await s.once();
    const paired = s.targets.some((t) => t.kind === 'over-baseline');
    const outcomes: RunOutcome[] = [];
    for (let i = 0; i < s.runs; i++) {
      const baselineMs = paired ? (await baseline.once()).sample.wallMs : undefined;
      outcomes.push({ ...(await s.once()), ...(baselineMs !== undefined ? { baselineMs } : {}) });
    }
    const row = judgeRow(s, outcomes, rows.find((r) => r.scenario.id === 'baseline')?.wall);
    rows.push(row);
    const verdict = row.problems.length ? 'INVALID' : row.judged.every((j) => j.ok) ? 'ok' : 'MISS';
    log(`bench: ${s.id.padEnd(22)} median ${Math.round(row.wall.median)} ms  ${verdict}`);
  }
} finally {
  await camunda.close();
  await audit.close();
  await launcher.close();
  await h.close();
  compileCache.close();
}

const markdown = resultsMarkdown(rows, machineInfo(probe, (performance.now() - t0) / 1000, loadAtStart));
process.stdout.write(`\n${markdown}`);
const v = verdictOf(rows);
log(`bench: ${v.passed} target(s) met, ${v.missed} missed, ${v.invalid} scenario(s) invalid`);
if (values.write) {
  if (only) log(`bench: not writing ${DOC} from a partial run (--only)`);
  else {
    writeResults(markdown);
    log(`bench: wrote ${DOC}`);
  }
}
process.exitCode = v.invalid > 0 || (values.strict && v.missed > 0) ? 1 : 0;
