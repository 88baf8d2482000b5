import type { Finding } from '../report/types.js';

/**
 * One diagnostic of any vantage point, run with that vantage point's context. `run` returns findings
 * for expected negative outcomes (AccessDenied, a timeout, a 403 are findings with a cause and fix);
 * anything it throws becomes an `error` check.
 */
export interface Check<C> {
  /** Stable id, usable with --only (e.g. `sts`, `token-claims`). */
  id: string;
  title: string;
  run(ctx: C): Promise<Finding[]>;
}
