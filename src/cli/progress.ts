import type { Io } from './io.js';

/** What a command tells a person while it works, on stderr; never part of the report. */
export interface Progress {
  /** A line that stays (a Job was created, a node was found). */
  say(line: string): void;
  /** The one status line, rewritten in place (what is still running); empty clears it. */
  status(line: string): void;
  /** Clears the status line and stops updating it: the report comes next. */
  end(): void;
}

export const SILENT: Progress = { say: () => undefined, status: () => undefined, end: () => undefined };

/**
 * Whether to show progress: only to a person at a terminal. Never in CI (whose logs keep every
 * rewrite of a status line), never with NO_COLOR (who asked for plain output) or TERM=dumb, never
 * when stderr is a pipe or a file. The report itself (stdout) is never touched.
 */
export function progressWanted(stderr: { isTTY?: boolean }, env: Io['env']): boolean {
  const set = (v: string | undefined) => v !== undefined && v !== '';
  if (!stderr.isTTY) return false;
  if (set(env.CI) && env.CI !== 'false' && env.CI !== '0') return false;
  if (set(env.NO_COLOR) || env.TERM === 'dumb') return false;
  return true;
}

/** Progress on stderr when progressWanted says so, else silence. */
export function createProgress(stderr: Io['stderr'], env: Io['env']): Progress {
  if (!progressWanted(stderr, env)) return SILENT;
  let shown = '';
  let ended = false;
  const draw = (line: string) => {
    if (!stderr.writeStatus) return;
    const width = Math.max(20, (stderr.columns ?? 80) - 1);
    const text = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    if (text === shown) return;
    stderr.writeStatus(text);
    shown = text;
  };
  return {
    say(line) {
      if (ended) return;
      const status = shown;
      if (status) draw('');
      stderr.write(`${line}\n`);
      if (status) draw(status);
    },
    status(line) {
      if (!ended) draw(line);
    },
    end() {
      if (shown) draw('');
      ended = true;
    },
  };
}

/**
 * Keeps the status line saying how many of `total` items are done and which are still running, with
 * the seconds since the start (updated every second, so a check that waits on a silent endpoint is
 * visibly the one being waited for). `stop` ends the updates; the timer never holds the process open.
 */
export function trackRunning(
  progress: Progress,
  what: string,
  names: readonly string[],
  now: () => number = Date.now,
): { done(name: string): void; stop(): void } {
  if (progress === SILENT) return { done: () => undefined, stop: () => undefined };
  const started = now();
  const running = new Set(names);
  const render = () => {
    const seconds = Math.floor((now() - started) / 1000);
    const waiting = [...running].join(', ');
    progress.status(
      `${what}: ${names.length - running.size} of ${names.length} done${waiting ? `, waiting for ${waiting}` : ''} (${seconds} s)`,
    );
  };
  render();
  const timer = setInterval(render, 1000);
  timer.unref();
  return {
    done(name) {
      running.delete(name);
      render();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
