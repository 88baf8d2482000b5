import type { Finding } from '../report/types.js';
import type { AgentContext } from './context.js';

/**
 * One diagnostic. `run` returns findings for expected negative outcomes (AccessDenied, a timeout,
 * a 403 are findings with a cause and fix); anything it throws becomes an `error` check.
 */
export interface Check {
  /** Stable id, usable with --only (e.g. `sts`, `token-claims`). */
  id: string;
  title: string;
  run(ctx: AgentContext): Promise<Finding[]>;
}
