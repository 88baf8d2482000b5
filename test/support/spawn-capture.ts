import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

type CaptureOptions = Pick<SpawnOptions, 'env' | 'cwd'> & { killAfterMs?: number };

/**
 * Starts a command and collects its output, keeping the child at hand (tests that send it signals
 * need it). Asynchronous matters: the emulators the child talks to usually live in the calling
 * process, so a blocking spawn would starve them.
 */
export function startCapture(
  command: string,
  args: string[],
  opts: CaptureOptions = {},
): { child: ChildProcess; done: Promise<Captured> } {
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
  const done = new Promise<Captured>((resolve) =>
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

/** Runs a command to its end and returns what it printed (see startCapture). */
export function spawnCapture(command: string, args: string[], opts: CaptureOptions = {}): Promise<Captured> {
  return startCapture(command, args, opts).done;
}
