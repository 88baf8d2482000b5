import type { Report } from '../src/report/types.js';
import { measureNode, type ProcessSample, type RssProbe } from './measure-process.js';

/** What a scenario promises; judged over all its measured runs (see targets.ts). */
export type Target =
  /**
   * median over runs of (run's wall − the paired bare `node -e 0` run just before it) at most `ms`;
   * `waitMs` of it is a wait the scenario has by design (named in the target)
   */
  | { kind: 'over-baseline'; ms: number; waitMs?: number }
  /** every run's peak RSS below `mb` (MiB) */
  | { kind: 'peak-rss'; mb: number }
  /** every run ends within the agent's --timeout plus `slackMs` */
  | { kind: 'over-timeout'; timeoutMs: number; slackMs: number }
  /** median of launcher wall minus the agent's own run, at most `ms` */
  | { kind: 'launcher-overhead'; ms: number }
  /** median wall time at most `ms` (a whole job, such as an audit of many ServiceAccounts) */
  | { kind: 'wall'; ms: number };

export interface RunOutcome {
  sample: ProcessSample;
  /** why this run is not the run the scenario claims to measure (no report, wrong verdict, killed) */
  problem?: string;
  /** the agent's share of the wall time (launcher runs) */
  agentMs?: number;
  /** wall of the bare `node -e 0` run made just before this one (scenarios with an over-baseline target) */
  baselineMs?: number;
  /** observations worth a line in the notes: codes seen, connections into blackholes */
  notes?: string[];
}

export interface Scenario {
  id: string;
  title: string;
  runs: number;
  /** unmeasured runs first, so the page cache and the harness's own lazy paths are warm */
  warmup: number;
  targets: Target[];
  /** shown once in the notes */
  describe?: string;
  once(): Promise<RunOutcome>;
}

/** The agent bundle to measure; IRSA_DOCTOR_BENCH_AGENT points at another build to compare with. */
export const AGENT = process.env.IRSA_DOCTOR_BENCH_AGENT ?? 'dist/agent.mjs';

export interface AgentRun {
  sample: ProcessSample;
  report?: Report;
  problem?: string;
}

/** `node dist/agent.mjs check -o json ...args` as a pod would start it: exactly `env`, plus PATH. */
export async function runAgentMeasured(
  probe: RssProbe,
  env: Record<string, string>,
  args: string[],
  killAfterMs: number,
): Promise<AgentRun> {
  const sample = await measureNode(probe, [AGENT, 'check', '-o', 'json', ...args], { env, killAfterMs });
  if (sample.killed) return { sample, problem: `killed after ${killAfterMs} ms` };
  try {
    return { sample, report: JSON.parse(sample.stdout) as Report };
  } catch {
    const err = sample.stderr.trim().split('\n')[0] ?? '';
    return { sample, problem: `no JSON report (exit ${sample.code}) ${err}`.trim() };
  }
}

/** "id:status" for every check, in report order. */
export function checkStatuses(report: Report): string {
  return report.checks.map((c) => `${c.id}:${c.status}`).join(' ');
}

export function findingCodes(report: Report): Map<string, string> {
  return new Map(report.checks.flatMap((c) => c.findings).map((f) => [f.code, f.status]));
}
