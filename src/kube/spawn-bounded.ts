import { type ChildProcess, spawn } from 'node:child_process';

export interface BoundedSpawn {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /**
   * The child shares our terminal: stdin is inherited, stderr is also copied live to `promptTo`, and
   * it stays in our process group so a prompt can reach the terminal. Otherwise stdin is closed and
   * the child leads its own process group, so stopping it also stops whatever it started.
   */
  interactive: boolean;
  promptTo?: NodeJS.WritableStream;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL, and again before giving up on pipes a stray grandchild holds. */
  killGraceMs: number;
  maxStdoutBytes: number;
  maxStderrBytes: number;
}

export type StopReason = 'timeout' | 'interrupted' | 'stdout-overflow';

export type BoundedResult =
  | {
      end: 'exited';
      pid: number;
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: Buffer;
      stderr: string;
    }
  | { end: StopReason; pid: number; stderr: string }
  | { end: 'spawn-error'; errno: string };

/**
 * Runs a command asynchronously and always settles: on exit, at the deadline, on abort, or when
 * stdout passes its cap. A stopped child gets SIGTERM, then SIGKILL after the grace period; its
 * process group goes with it, so nothing it started outlives the run.
 */
export function spawnBounded(o: BoundedSpawn): Promise<BoundedResult> {
  return new Promise((resolve) => {
    const ownGroup = !o.interactive && process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn(o.command, [...o.args], {
        env: o.env,
        stdio: [o.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
        detached: ownGroup,
        windowsHide: true,
      });
    } catch (e) {
      // e.g. a NUL byte in an argument: spawn throws instead of emitting 'error'.
      resolve({ end: 'spawn-error', errno: (e as NodeJS.ErrnoException).code ?? 'EINVAL' });
      return;
    }

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let stopping: StopReason | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    child.stdout?.on('data', (b: Buffer) => {
      if (stopping) return;
      stdoutBytes += b.length;
      if (stdoutBytes > o.maxStdoutBytes) stop('stdout-overflow');
      else stdout.push(b);
    });
    // Keep draining past the cap: a child blocked on a full stderr pipe would never exit.
    child.stderr?.on('data', (b: Buffer) => {
      if (o.interactive) o.promptTo?.write(b);
      if (stderrBytes < o.maxStderrBytes) stderr.push(b.subarray(0, o.maxStderrBytes - stderrBytes));
      stderrBytes += b.length;
    });

    const onAbort = () => stop('interrupted');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) queueMicrotask(onAbort);
    timers.push(setTimeout(() => stop('timeout'), Math.max(0, o.timeoutMs)));

    child.on('error', (e: NodeJS.ErrnoException) => {
      // Without a pid the command never started (ENOENT, EACCES); otherwise exit/close still follow.
      if (child.pid === undefined) finish({ end: 'spawn-error', errno: e.code ?? 'UNKNOWN' });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
    });
    // 'close' comes once the pipes are drained, so stdout is complete.
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      settle();
    });

    function stop(why: StopReason): void {
      if (stopping || settled) return;
      stopping = why;
      kill('SIGTERM');
      timers.push(
        setTimeout(() => kill('SIGKILL'), o.killGraceMs),
        // A grandchild outside the group may hold the pipes open forever: stop waiting for them.
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          settle();
        }, 2 * o.killGraceMs),
      );
    }

    function kill(sig: NodeJS.Signals): void {
      if (child.pid === undefined) return;
      try {
        if (ownGroup) process.kill(-child.pid, sig);
        else if (exit === undefined) child.kill(sig);
      } catch {
        // Already gone (ESRCH): nothing left to stop.
      }
    }

    function settle(): void {
      const text = Buffer.concat(stderr).toString('utf8');
      // The leader is gone; a member of its group that ignored SIGTERM must not outlive the run.
      if (stopping && ownGroup) kill('SIGKILL');
      if (stopping) finish({ end: stopping, pid: child.pid ?? 0, stderr: text });
      else if (exit)
        finish({ end: 'exited', pid: child.pid ?? 0, ...exit, stdout: Buffer.concat(stdout), stderr: text });
    }

    function finish(r: BoundedResult): void {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    }
  });
}
