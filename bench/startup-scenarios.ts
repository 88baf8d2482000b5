// Start-up of the full CLI's commands that do not diagnose anything: the shell loads a command's code
// only when that command runs, so `version` and `help` cost little over bare Node, and `run --dry-run`
// pays for the launcher and its Kubernetes client but not for the agent.
import { measureNode, type RssProbe } from './measure-process.js';
import type { Scenario } from './scenario.js';

export const CLI = process.env.IRSA_DOCTOR_BENCH_CLI ?? 'dist/irsa-doctor.mjs';

function cliScenario(
  probe: RssProbe,
  runs: number,
  id: string,
  title: string,
  args: string[],
  targetMs?: number,
): Scenario {
  return {
    id,
    title,
    runs,
    warmup: 1,
    targets: targetMs === undefined ? [] : [{ kind: 'over-baseline', ms: targetMs }],
    once: async () => {
      // No kubeconfig in reach: with -n, --dry-run reads none and prints the Job without an API.
      const sample = await measureNode(probe, [CLI, ...args], {
        env: { HOME: '/nonexistent' },
        killAfterMs: 10_000,
      });
      return {
        sample,
        ...(sample.code !== 0 ? { problem: `exit ${sample.code}: ${sample.stderr.split('\n')[0]}` } : {}),
      };
    },
  };
}

export function startupScenarios(probe: RssProbe, runs: number): Scenario[] {
  return [
    cliScenario(probe, runs, 'cli-version', '`irsa-doctor version`', ['version'], 30),
    cliScenario(probe, runs, 'cli-help', '`irsa-doctor help`', ['help'], 30),
    cliScenario(
      probe,
      runs,
      'run-dry-run',
      '`irsa-doctor run --dry-run -n camunda -s zeebe-sa -o json` (launcher and Kubernetes client load, no API call)',
      ['run', '--dry-run', '-n', 'camunda', '-s', 'zeebe-sa', '-o', 'json'],
    ),
  ];
}
