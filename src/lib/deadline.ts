/** A step that ran past its deadline. Checks turn this into a finding; the runner into `error`. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} did not answer within ${ms} ms`);
  }
}

/**
 * Races a promise against a timer and an optional abort signal, so one blackholed endpoint
 * costs one deadline rather than an SDK's retries times its timeouts.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  label: string,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new DeadlineError(label, ms))), Math.max(0, ms));
    timer.unref?.();
    const onAbort = () => finish(() => reject(new DeadlineError(label, ms)));
    signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    function finish(fn: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    }
    work.then(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}

/** A deadline shared by a whole run: how much time is left, and a signal that fires when none is. */
export class RunDeadline {
  readonly signal: AbortSignal;
  private readonly end: number;
  constructor(readonly totalMs: number) {
    this.end = Date.now() + totalMs;
    this.signal = AbortSignal.timeout(Math.max(1, totalMs));
  }
  remainingMs(): number {
    return Math.max(0, this.end - Date.now());
  }
  /** The smaller of a step's own budget and what the run has left. */
  budget(stepMs: number): number {
    return Math.min(stepMs, this.remainingMs());
  }
}
