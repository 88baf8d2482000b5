import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Finding, Report } from '../../src/report/types.js';
import { reportProblems } from './report-schema.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
// Writes process.resourceUsage().maxRSS (KiB) to fd 3 at exit: the child's own peak, wherever it runs.
const MAX_RSS_PRELOAD = fileURLToPath(new URL('../../bench/max-rss-preload.mjs', import.meta.url));

export interface LauncherRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, as the parent saw it. */
  wallMs: number;
  /** The child's peak RSS in KiB, when asked for. */
  maxRssKb?: number;
  /** The report on stdout, if it printed one (a configuration error prints none). */
  report?: Report;
  /** The launcher check's findings, in order. */
  codes: string[];
  finding(code: string): Finding | undefined;
}

export interface LauncherOptions {
  /** The whole environment besides PATH (nothing of the parent's leaks in). */
  env?: Record<string, string>;
  /** Measure the child's peak RSS. */
  rss?: boolean;
  /** SIGKILL after this long: a hung launcher fails the test instead of stalling it. */
  killAfterMs?: number;
  /** false: stdout is not a report (--dry-run prints a Job); only the no-stack-trace rule applies. */
  report?: boolean;
}

/**
 * Starts `irsa-doctor run ARGS` (the built CLI) and, once it ends, checks what every run must hold
 * whatever it was fed: no stack trace, and a report (when there is one) that validates against the
 * schema and holds only catalog codes with catalog statuses. Throws when one does not hold.
 */
export function startLauncher(
  args: string[],
  opts: LauncherOptions = {},
): { child: ChildProcess; done: Promise<LauncherRun> } {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...(opts.rss ? ['--import', MAX_RSS_PRELOAD] : []), CLI, 'run', ...args],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let rss = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.stdio[3]?.on('data', (d) => {
    rss += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
  const done = new Promise<LauncherRun>((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      try {
        const run = {
          code,
          signal,
          stdout,
          stderr,
          wallMs,
          ...(rss ? { maxRssKb: Number(rss.trim()) } : {}),
        };
        resolve(judge(run, opts.report !== false));
      } catch (e) {
        reject(e);
      }
    });
  });
  return { child, done };
}

export function runLauncher(args: string[], opts: LauncherOptions = {}): Promise<LauncherRun> {
  return startLauncher(args, opts).done;
}

/** A stack frame as Node prints them: "    at fn (file:line:col)" or "    at file:line:col". */
const STACK_FRAME = /^\s+at .*(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

function judge(run: Omit<LauncherRun, 'codes' | 'finding' | 'report'>, isReport: boolean): LauncherRun {
  const said = `exit ${run.code}\nstdout:\n${run.stdout.slice(0, 3000)}\nstderr:\n${run.stderr.slice(0, 3000)}`;
  if (STACK_FRAME.test(run.stdout) || STACK_FRAME.test(run.stderr))
    throw new Error(`a stack trace was printed\n${said}`);
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(run.stderr))
    throw new Error(`a JavaScript error reached stderr\n${said}`);
  let report: Report | undefined;
  if (isReport && run.stdout.trim() !== '') {
    try {
      report = JSON.parse(run.stdout) as Report;
    } catch {
      throw new Error(`stdout is not a JSON report\n${said}`);
    }
    const problems = reportProblems(report);
    if (problems.length) throw new Error(`${problems.join('; ')}\n${said}`);
  }
  const findings = report?.checks.find((c) => c.id === 'launcher')?.findings ?? [];
  return {
    ...run,
    ...(report ? { report } : {}),
    codes: findings.map((f) => f.code),
    finding: (code) => findings.find((f) => f.code === code),
  };
}

let startup: Promise<number> | undefined;

/**
 * What starting the launcher costs on this machine right now (`run --dry-run`: the same modules,
 * no network), so "ends within --timeout + 1 s" can be asserted from where the run's clock starts
 * rather than from spawn: on two busy cores loading alone can take seconds. Measured once per file.
 */
export function launcherStartupMs(): Promise<number> {
  startup ??= (async () => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 2; i++) {
      const r = await runLauncher(['--dry-run', '-n', 'x', '-s', 'y', '-o', 'json'], {
        env: { HOME: '/nonexistent' },
        report: false,
      });
      if (r.code !== 0) throw new Error(`run --dry-run failed: ${r.stderr}`);
      best = Math.min(best, r.wallMs);
    }
    return best;
  })();
  return startup;
}
