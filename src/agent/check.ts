import type { Check as AnyCheck } from '../checks/check.js';
import type { AgentContext } from './context.js';

/** An agent check: run inside the pod with the agent's context. */
export type Check = AnyCheck<AgentContext>;
