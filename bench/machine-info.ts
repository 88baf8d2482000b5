// What the numbers were measured on, so a reader can tell whether their machine compares.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import type { RssProbe } from './measure-process.js';
import type { MachineInfo } from './results-markdown.js';

export function machineInfo(probe: RssProbe, elapsedS: number, loadAtStart: number): MachineInfo {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return {
    lines: [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit ${commit()}, whole bench ${Math.round(elapsedS)} s`,
      `Machine: ${availableParallelism()} CPUs (\`nproc\`), ${cpu}; ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (\`free -h\`: ${freeTotal()}); Linux ${release()}`,
      `1-minute load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (the bench's own runs count in the end value)`,
      `Node ${process.version} (${process.execPath.replace(`${process.cwd()}/`, '')}), the binary every child runs`,
      `Peak RSS via ${probe === 'gnu-time' ? 'GNU time (`/usr/bin/time -f %M`, wait4 rusage)' : 'the preload `bench/max-rss-preload.mjs` (process.resourceUsage().maxRSS at exit)'}`,
    ],
  };
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts/build.mjs'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes under src/)` : sha;
  } catch {
    return 'unknown';
  }
}

function freeTotal(): string {
  try {
    const kb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    return `${Math.round(kb / 2 ** 20)}Gi total`;
  } catch {
    return 'n/a';
  }
}
