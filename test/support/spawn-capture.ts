import { type SpawnOptions, spawn } from 'node:child_process';

export interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command asynchronously and collects its output. Asynchronous matters: the emulators the
 * child talks to usually live in the calling process, so a blocking spawn would starve them.
 */
export function spawnCapture(
  command: string,
  args: string[],
  opts: Pick<SpawnOptions, 'env' | 'cwd'> & { killAfterMs?: number } = {},
): Promise<Captured> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = opts.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
