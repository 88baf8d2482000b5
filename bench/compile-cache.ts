// The agent's V8 compile cache as the image ships it (Dockerfile, stage `cache`): made once, before the
// scenarios, by the bench's own Node importing every module of the agent and running `--list`, then
// made read-only. Scenarios that run with NODE_COMPILE_CACHE pointing here measure what the cache saves.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CompileCache {
  /** the value for NODE_COMPILE_CACHE */
  dir: string;
  close(): void;
}

/** Makes the cache for `agent` (dist/agent.mjs and its chunks beside it). */
export function makeCompileCache(agent: string): CompileCache {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-compile-cache-'));
  const chunks = join(dirname(resolve(agent)), 'agent-chunks');
  // A build from before the agent was split into chunks (IRSA_DOCTOR_BENCH_AGENT) is one file.
  const modules = existsSync(chunks) ? readdirSync(chunks).filter((f) => f.endsWith('.mjs')) : [];
  const script = `(async () => {
    for (const f of ${JSON.stringify(modules)})
      await import(${JSON.stringify(pathToFileURL(chunks).href)} + '/' + f);
    process.argv = [process.execPath, ${JSON.stringify(resolve(agent))}, '--list'];
    await import(${JSON.stringify(pathToFileURL(resolve(agent)).href)});
  })();`;
  const made = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_COMPILE_CACHE: dir },
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`making the compile cache failed: ${made.stderr}`);
  setMode(dir, 0o555, 0o444);
  return {
    dir,
    close: () => {
      setMode(dir, 0o755, 0o644);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * 0555/0444 makes it read-only like the image's (root-owned there); a bench run as root could still
 * write, which is why the rows check every run's trace rather than trust the mode.
 */
function setMode(path: string, dirMode: number, fileMode: number): void {
  chmodSync(path, dirMode);
  for (const name of readdirSync(path)) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) setMode(p, dirMode, fileMode);
    else chmodSync(p, fileMode);
  }
}

/**
 * Whether a run read every agent module from the cache: Node's own trace (NODE_DEBUG_NATIVE=COMPILE_CACHE
 * on stderr) says, for each module it looked up, whether V8 accepted the cached code.
 */
export function cacheUse(stderr: string): { accepted: number; looked: number } {
  const lines = stderr.split('\n').filter((l) => l.startsWith('[compile cache]'));
  return {
    looked: lines.filter((l) => /reading cache from .* for ESM /.test(l)).length,
    accepted: lines.filter((l) => / was accepted/.test(l)).length,
  };
}
