import { factsFor } from '../checks/fact.js';
import type { AgentContext } from './context.js';

/** The agent's facts live in the run's memo (see src/checks/fact.ts). */
export const { fact, factFamily } = factsFor<AgentContext>((ctx) => ctx.memo);
