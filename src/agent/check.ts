import type { Check as AnyCheck } from '../checks/check.js';
import type { AgentContext } from './context.js';

/** An agent check: run inside the pod with the agent's context. */
export type Check = AnyCheck<AgentContext> & {
  /**
   * The check (and every fact it awaits) runs without the AWS SDK. A run of only such checks never
   * loads the SDK; any other selection loads it before the checks start (agent-sdk.ts), so the load,
   * the run's one long synchronous stall, never lands inside a check's timed wait. Absent means the
   * safe default: the SDK is loaded first.
   */
  sdkFree?: true;
};
