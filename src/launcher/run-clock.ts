/** How long past the Job's own deadline the launcher waits for the Job controller to say so. */
export const DEADLINE_GRACE_MS = 30_000;

/** What deleting the Job may take: it runs after the run's deadline and after SIGINT/SIGTERM too. */
export const CLEANUP_MS = 5_000;

/**
 * The deadlines of one run (one ServiceAccount). Before a Job exists, --timeout bounds everything:
 * an unreachable API server costs --timeout, not a pile of per-call timeouts. Once the Job exists,
 * the run ends DEADLINE_GRACE_MS after --timeout, which leaves the Job controller time to report
 * the Job's own activeDeadlineSeconds (= --timeout) as DeadlineExceeded.
 */
export interface RunClock {
  startedAt: Date;
  /** performance.now() at the start, for durationMs. */
  t0: number;
  /** Epoch ms: preflight (webhook, namespace, ServiceAccount) must be done by then. */
  preflightEnd: number;
  /** Epoch ms: creating the Job, waiting for it and reading its log must be done by then. */
  runEnd: number;
}

export function startClock(timeoutSeconds: number): RunClock {
  const now = Date.now();
  return {
    startedAt: new Date(now),
    t0: performance.now(),
    preflightEnd: now + timeoutSeconds * 1000,
    runEnd: now + timeoutSeconds * 1000 + DEADLINE_GRACE_MS,
  };
}
