// Spawns one child and measures it from the outside: wall time from spawn to exit as the parent sees
// it, and the child's peak RSS. GNU time (`/usr/bin/time -f %M`) reads the peak from wait4's rusage,
// so nothing runs inside the measured process; where GNU time is missing, a preload prints
// process.resourceUsage().maxRSS to fd 3 on exit (it costs the child a few ms and a little memory).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type RssProbe = 'gnu-time' | 'preload';

export interface ProcessSample {
  wallMs: number;
  /** peak resident set size of the child, in KiB (undefined if the probe printed nothing) */
  maxRssKb?: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** the bench killed it for running past its kill deadline */
  killed: boolean;
}

export interface MeasureOptions {
  env: Record<string, string>;
  /** SIGKILL after this long, so a hung child cannot stall the bench */
  killAfterMs?: number;
  /** called with the child's pid right after spawn, e.g. to correlate timestamps */
  onSpawn?: () => void;
}

const GNU_TIME = '/usr/bin/time';
const PRELOAD = resolve('bench/max-rss-preload.mjs');

/** GNU time if it exists and speaks -f %M; otherwise the preload. */
export function detectRssProbe(forced?: RssProbe): RssProbe {
  if (forced) return forced;
  if (!existsSync(GNU_TIME)) return 'preload';
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '')
    ? 'gnu-time'
    : 'preload';
}

/** Runs `node ...args` with the same Node binary as the bench, measured by `probe`. */
export function measureNode(probe: RssProbe, args: string[], opts: MeasureOptions): Promise<ProcessSample> {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-bench-'));
  const rssFile = join(dir, 'rss');
  const [cmd, argv] =
    probe === 'gnu-time'
      ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]]
      : [process.execPath, ['--import', PRELOAD, ...args]];
  const t0 = performance.now();
  const child = spawn(cmd, argv, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', probe === 'preload' ? 'pipe' : 'ignore'],
    // Own process group, so a kill reaches GNU time's child too.
    detached: true,
  });
  opts.onSpawn?.();
  let stdout = '';
  let stderr = '';
  let rssOut = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.stdio[3]?.on('data', (d) => {
    rssOut += d;
  });
  let killed = false;
  const timer = opts.killAfterMs
    ? setTimeout(() => {
        killed = true;
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, opts.killAfterMs)
    : undefined;
  return new Promise((done) => {
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (timer) clearTimeout(timer);
      let raw = rssOut;
      if (probe === 'gnu-time') raw = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      // GNU time writes "Command exited with non-zero status N" before the value; take the last number.
      const last = raw.trim().split('\n').pop() ?? '';
      const maxRssKb = /^\d+$/.test(last) ? Number(last) : undefined;
      done({ wallMs, maxRssKb, code, stdout, stderr, killed });
    });
  });
}
