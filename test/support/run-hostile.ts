import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type AgentRun, runAgent } from './run-agent.js';

const RSS_PRELOAD = fileURLToPath(new URL('./max-rss-preload.mjs', import.meta.url));

export interface HostileRun extends AgentRun {
  /** Wall time of the whole child process, spawn to exit (start-up included). */
  wallMs: number;
  /**
   * From the run's start (the report's startedAt, taken when the checks begin) to the process's exit:
   * what --timeout bounds. Node's start-up and module loading come before it (about 0.3 s on an idle
   * machine, over 1 s on a loaded 2-core one) and touch no peer.
   */
  runToExitMs: number;
  /** The child's peak resident set size, in MiB (VmHWM at exit: see max-rss-preload.mjs). */
  maxRssMb: number;
  timeoutS: number;
}

/**
 * Runs `irsa-doctor check -o json --timeout T` against hostile peers and measures what the run cost:
 * its wall time and the child's peak RSS (a preload given with NODE_OPTIONS, so the number is the
 * child's own, whatever the machine has). `preload` adds further test fixtures to NODE_OPTIONS.
 */
export async function runHostile(
  env: Record<string, string>,
  args: string[],
  o: { timeoutS?: number; preload?: string[] } = {},
): Promise<HostileRun> {
  const timeoutS = o.timeoutS ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'irsa-hostile-'));
  const rssFile = join(dir, 'max-rss');
  const imports = [RSS_PRELOAD, ...(o.preload ?? [])].map((p) => `--import=${p}`).join(' ');
  try {
    const t0 = performance.now();
    const run = await runAgent({ ...env, NODE_OPTIONS: imports, IRSA_TEST_MAX_RSS_FILE: rssFile }, [
      ...args,
      '--timeout',
      String(timeoutS),
    ]);
    const wallMs = performance.now() - t0;
    const measured = JSON.parse(readFileSync(rssFile, 'utf8')) as { peakKib: number; exitAt: number };
    const runToExitMs = measured.exitAt - Date.parse(run.report.startedAt);
    return { ...run, wallMs, runToExitMs, maxRssMb: measured.peakKib / 1024, timeoutS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/**
 * What every run against a hostile peer must show, whatever the peer did: no stack trace anywhere, no
 * check cut off as `error` (unless `errorsAllowed`: only when the run deadline itself passed), and an
 * exit within --timeout plus a second of the run's start. (The report's schema and catalog codes are
 * asserted by runAgent.)
 */
export function expectComposed(run: HostileRun, o: { errorsAllowed?: boolean } = {}): void {
  expect(run.stdout).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stdout).not.toMatch(/RangeError|TypeError|ReferenceError|SyntaxError: /);
  if (!o.errorsAllowed) {
    const errored = run.report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.error}`);
    expect(errored).toEqual([]);
  }
  expect(run.runToExitMs).toBeLessThan(run.timeoutS * 1000 + 1000);
  expect([0, 1]).toContain(run.code);
}
