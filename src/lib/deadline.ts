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

/**
 * A deadline shared by a whole run. Steps see a soft deadline (`signal`, `remainingMs`, `budget`) that
 * ends a margin before the hard one (`hardSignal`, used by the runner), so a check whose endpoint is
 * blackholed still has time to turn its timeout into a finding instead of being cut off as `error`.
 */
export class RunDeadline {
  /** Fires when steps must give up: the run's end minus the reporting margin. */
  readonly signal: AbortSignal;
  /** Fires at the run's end; the runner then reports unfinished checks as `error`. */
  readonly hardSignal: AbortSignal;
  readonly marginMs: number;
  private readonly softEnd: number;
  constructor(readonly totalMs: number) {
    this.marginMs = Math.min(400, Math.round(totalMs / 5));
    const now = Date.now();
    this.softEnd = now + totalMs - this.marginMs;
    this.signal = AbortSignal.timeout(Math.max(1, totalMs - this.marginMs));
    this.hardSignal = AbortSignal.timeout(Math.max(1, totalMs));
  }
  /** Time steps have left (to the soft deadline). */
  remainingMs(): number {
    return Math.max(0, this.softEnd - Date.now());
  }
  /** The smaller of a step's own budget and what the run has left for steps. */
  budget(stepMs: number): number {
    return Math.min(stepMs, this.remainingMs());
  }
}
