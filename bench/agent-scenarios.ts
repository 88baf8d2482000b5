// Scenarios that run the bundled agent (dist/agent.mjs, the file the image ships) as a pod would.
import { spawnSync } from 'node:child_process';
import type { Report } from '../src/report/types.js';
import { type BenchHarness, HOLE_KINDS, type HoleKind } from './bench-harness.js';
import { cacheUse } from './compile-cache.js';
import { measureNode, type RssProbe } from './measure-process.js';
import {
  AGENT,
  checkStatuses,
  findingCodes,
  type RunOutcome,
  runAgentMeasured,
  type Scenario,
} from './scenario.js';

/** The identity checks of a healthy IRSA run (the same list image/smoke.ts runs in the container). */
export const IDENTITY_CHECK_IDS = [
  'env',
  'role-arn',
  'token-file',
  'token-claims',
  'oidc',
  'sts',
  'identity',
  'chain',
  'imds',
];

/** Check ids the built agent knows (`--list`), so the bench runs whatever of the list has landed. */
export function registeredCheckIds(): string[] {
  const out = spawnSync(process.execPath, [AGENT, '--list'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${AGENT} --list failed: ${out.stderr}`);
  return out.stdout
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

export interface AgentScenarioOptions {
  probe: RssProbe;
  runs: number;
  /** runs of the scenarios that wait for a timeout (each costs the whole timeout) */
  slowRuns: number;
  h: BenchHarness;
  /** NODE_COMPILE_CACHE of the image-like compile cache (compile-cache.ts) */
  compileCacheDir: string;
}

/** The issue's target for a healthy identity run: bare Node start plus this. */
const HEALTHY_OVER_NODE_MS = 100;
/** What every healthy identity row is judged on: the issue's time over bare Node, and memory. */
const HEALTHY_TARGETS: Scenario['targets'] = [
  { kind: 'over-baseline', ms: HEALTHY_OVER_NODE_MS },
  { kind: 'peak-rss', mb: 100 },
];
/**
 * The SDK's IMDS timeout, which a hardened node's run waits out before the imds check can call IMDS
 * blocked (see docs/performance.md); that row's target is the healthy one plus this wait.
 */
const IMDS_WAIT_MS = 1000;

export function agentScenarios(o: AgentScenarioOptions): Scenario[] {
  const { probe, h } = o;
  const known = registeredCheckIds();
  const identity = IDENTITY_CHECK_IDS.filter((id) => known.includes(id));
  const missing = IDENTITY_CHECK_IDS.filter((id) => !known.includes(id));
  const onlyIdentity = ['--only', identity.join(',')];
  const blackholed = (timeoutS: number, runs: number): Scenario => ({
    id: `blackhole-all-${timeoutS}s`,
    title: `Every endpoint blackholed, --timeout ${timeoutS}`,
    runs,
    warmup: 0,
    targets: [{ kind: 'over-timeout', timeoutMs: timeoutS * 1000, slackMs: 500 }],
    describe:
      'STS, IMDS and the token issuer point at blackholes (TCP accepted, never answered), and so do the Aurora and OpenSearch targets; all checks run.',
    once: () =>
      timeoutRun(
        h,
        probe,
        h.blackholedEnv,
        [
          '--timeout',
          String(timeoutS),
          ...h.postgresArgs(h.hostPort('postgres')),
          ...h.opensearchArgs(`https://${h.hostPort('opensearch')}`),
        ],
        timeoutS,
      ),
  });
  return [
    {
      id: 'healthy-irsa',
      title: 'Healthy IRSA, identity checks',
      runs: o.runs,
      warmup: 1,
      targets: HEALTHY_TARGETS,
      describe: `\`--only ${identity.join(',')}\`${missing.length ? ` (not in this build yet: ${missing.join(', ')})` : ''}; IMDS requires and answers IMDSv2 (hop limit 2: IMDS-REACHABLE warns), so every endpoint answers at once.`,
      once: async () => healthy(await runAgentMeasured(probe, h.healthyEnv, onlyIdentity, 30_000)),
    },
    {
      id: 'healthy-irsa-imds-refused',
      title: 'Healthy IRSA, identity checks, IMDS refusing connections',
      runs: o.runs,
      warmup: 1,
      targets: HEALTHY_TARGETS,
      describe:
        "The same checks on a node whose metadata port refuses connections (issue 13's wording of the healthy run): the imds check's two requests end at once, IMDS-BLOCKED.",
      once: async () => {
        const run = healthy(await runAgentMeasured(probe, h.imdsRefusedEnv, onlyIdentity, 30_000));
        // The port was free when the harness started; had anything bound it since, this is another run.
        if (!run.problem && run.report && !findingCodes(run.report).has('IMDS-BLOCKED'))
          run.problem = `no IMDS-BLOCKED (${checkStatuses(run.report)})`;
        return run;
      },
    },
    {
      id: 'healthy-irsa-compile-cache',
      title: 'Healthy IRSA, identity checks, with the V8 compile cache',
      runs: o.runs,
      warmup: 1,
      targets: HEALTHY_TARGETS,
      describe:
        "Same checks, with NODE_COMPILE_CACHE pointing at a read-only cache made as the image's is (every agent module imported, `--list` run); every run must read every module it loads from the cache (Node's NODE_DEBUG_NATIVE=COMPILE_CACHE trace).",
      once: async () =>
        cached(
          healthy(
            await runAgentMeasured(
              probe,
              { ...h.healthyEnv, NODE_COMPILE_CACHE: o.compileCacheDir, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
              onlyIdentity,
              30_000,
            ),
          ),
        ),
    },
    {
      id: 'healthy-irsa-hardened-node',
      title: 'Healthy IRSA on a hardened node (IMDS hop limit 1, v1 off)',
      runs: o.runs,
      warmup: 1,
      targets: [{ kind: 'over-baseline', ms: HEALTHY_OVER_NODE_MS + IMDS_WAIT_MS, waitMs: IMDS_WAIT_MS }],
      describe:
        "Same checks; IMDS never answers the IMDSv2 token PUT (as with hop limit 1) and refuses v1, so the imds check waits out the SDK's 1 s metadata timeout before it can say IMDS-BLOCKED; the target allows that wait on top of the healthy run's.",
      once: async () => healthy(await runAgentMeasured(probe, h.hardenedNodeEnv, onlyIdentity, 30_000)),
    },
    {
      id: 'healthy-logins',
      title: 'Healthy IRSA + Aurora IAM login + OpenSearch',
      runs: o.runs,
      warmup: 1,
      targets: [{ kind: 'over-baseline', ms: 400 }],
      describe:
        'All checks; `--postgres` against the RDS front door (verify-full, harness CA) and `--opensearch` against the HTTPS domain with FGAC mapping the role.',
      once: async () => {
        const run = healthy(
          await runAgentMeasured(probe, h.healthyEnv, [...h.postgresArgs(), ...h.opensearchArgs()], 30_000),
        );
        if (!run.problem && run.report) {
          const codes = findingCodes(run.report);
          const absent = ['PG-LOGIN-OK', 'OS-OK'].filter((c) => !codes.has(c));
          if (absent.length) run.problem = `no ${absent.join(', ')} (${checkStatuses(run.report)})`;
        }
        return run;
      },
    },
    blackholed(3, o.slowRuns),
    // The longer timeout only checks that the overshoot does not grow with it; fewer runs keep the bench short.
    blackholed(5, Math.max(1, Math.round((o.slowRuns * 3) / 5))),
    {
      id: 'blackhole-targets-3s',
      title: 'Aurora + OpenSearch blackholed, --timeout 3',
      runs: o.slowRuns,
      warmup: 0,
      targets: [{ kind: 'over-timeout', timeoutMs: 3000, slackMs: 500 }],
      describe: 'Healthy identity; the Aurora and OpenSearch targets point at blackholes.',
      once: () =>
        timeoutRun(
          h,
          probe,
          h.healthyEnv,
          [
            '--timeout',
            '3',
            ...h.postgresArgs(h.hostPort('postgres')),
            ...h.opensearchArgs(`https://${h.hostPort('opensearch')}`),
          ],
          3,
        ),
    },
  ];
}

/**
 * Node start plus loading the agent's own code, no checks (the AWS SDK loads only when a check needs it):
 * splits agent runs into start-up and checks. With `compileCacheDir`, as the image runs it.
 */
export function bundleLoadScenario(probe: RssProbe, runs: number, compileCacheDir?: string): Scenario {
  const env: Record<string, string> = compileCacheDir
    ? { NODE_COMPILE_CACHE: compileCacheDir, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }
    : {};
  return {
    id: compileCacheDir ? 'agent-load-compile-cache' : 'agent-load',
    title: `Agent load only (\`dist/agent.mjs --list\`)${compileCacheDir ? ', with the V8 compile cache' : ''}`,
    runs,
    warmup: 1,
    targets: [],
    once: async () => {
      const sample = await measureNode(probe, [AGENT, '--list'], { env, killAfterMs: 10_000 });
      const run = { sample, ...(sample.code !== 0 ? { problem: `exit ${sample.code}` } : {}) };
      return compileCacheDir ? cached(run) : run;
    },
  };
}

/** A run with the compile cache only counts when Node read every module it loaded from the cache. */
function cached<R extends RunOutcome>(run: R): R {
  if (run.problem) return run;
  const use = cacheUse(run.sample.stderr);
  if (use.looked === 0 || use.accepted !== use.looked)
    return { ...run, problem: `compile cache: ${use.accepted} of ${use.looked} modules accepted` };
  return { ...run, notes: [...(run.notes ?? []), `modules read from the compile cache: ${use.accepted}`] };
}

export function baselineScenario(probe: RssProbe, runs: number): Scenario {
  return {
    id: 'baseline',
    title: 'Bare `node -e 0` (same binary)',
    runs,
    warmup: 1,
    targets: [],
    once: async () => {
      const sample = await measureNode(probe, ['-e', '0'], { env: {}, killAfterMs: 10_000 });
      return { sample, ...(sample.code !== 0 ? { problem: `exit ${sample.code}` } : {}) };
    },
  };
}

/** A healthy run: a report, no crashed or timed-out check, nothing failed. */
function healthy(run: { sample: RunOutcome['sample']; report?: Report; problem?: string }): RunOutcome & {
  report?: Report;
} {
  if (run.problem || !run.report) return run;
  const bad = run.report.checks.filter((c) => c.status === 'error' || c.status === 'fail');
  if (bad.length || run.report.verdict === 'fail')
    return { ...run, problem: `not healthy: verdict ${run.report.verdict}; ${checkStatuses(run.report)}` };
  return { ...run, notes: [`verdict ${run.report.verdict}: ${checkStatuses(run.report)}`] };
}

/** A run that must end by its deadline with a report; notes which checks hit it and what the blackholes saw. */
async function timeoutRun(
  h: BenchHarness,
  probe: RssProbe,
  env: Record<string, string>,
  args: string[],
  timeoutS: number,
): Promise<RunOutcome> {
  const before = Object.fromEntries(HOLE_KINDS.map((k) => [k, h.holes[k].connections()])) as Record<
    HoleKind,
    number
  >;
  const run = await runAgentMeasured(probe, env, args, timeoutS * 1000 + 10_000);
  const conns = HOLE_KINDS.map((k) => `${k} ${h.holes[k].connections() - before[k]}`).join(', ');
  const notes = [`connections into blackholes per run: ${conns}`];
  if (run.report) notes.push(`verdict ${run.report.verdict}: ${checkStatuses(run.report)}`);
  return { sample: run.sample, ...(run.problem ? { problem: run.problem } : {}), notes };
}
