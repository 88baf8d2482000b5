import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { statusesOf } from '../../src/report/catalog/define.js';
import { specOf } from '../../src/report/catalog/index.js';
import type { Finding, Report } from '../../src/report/types.js';
import { schemaErrors } from './report-schema.js';

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
        resolve(
          judge({ code, signal, stdout, stderr, wallMs, ...(rss ? { maxRssKb: Number(rss.trim()) } : {}) }),
        );
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

function judge(run: Omit<LauncherRun, 'codes' | 'finding' | 'report'>): LauncherRun {
  const said = `exit ${run.code}\nstdout:\n${run.stdout.slice(0, 3000)}\nstderr:\n${run.stderr.slice(0, 3000)}`;
  if (STACK_FRAME.test(run.stdout) || STACK_FRAME.test(run.stderr))
    throw new Error(`a stack trace was printed\n${said}`);
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(run.stderr))
    throw new Error(`a JavaScript error reached stderr\n${said}`);
  let report: Report | undefined;
  if (run.stdout.trim() !== '') {
    try {
      report = JSON.parse(run.stdout) as Report;
    } catch {
      throw new Error(`stdout is not a JSON report\n${said}`);
    }
    const errors = schemaErrors(report);
    if (errors.length)
      throw new Error(`the report violates docs/report.schema.json: ${errors.join('; ')}\n${said}`);
    const offCatalog = report.checks
      .flatMap((c) => c.findings)
      .filter((f) => {
        const spec = specOf(f.code);
        return !spec || !statusesOf(spec).includes(f.status);
      });
    if (offCatalog.length)
      throw new Error(
        `findings the catalog does not allow: ${offCatalog.map((f) => `${f.code}:${f.status}`).join(', ')}`,
      );
  }
  const findings = report?.checks.find((c) => c.id === 'launcher')?.findings ?? [];
  return {
    ...run,
    ...(report ? { report } : {}),
    codes: findings.map((f) => f.code),
    finding: (code) => findings.find((f) => f.code === code),
  };
}
