import { createMemo, type Memo } from '../checks/memo.js';
import type { RunDeadline } from '../lib/deadline.js';
import type { AgentOptions } from './options.js';

/** Where Kubernetes mounts the pod's own ServiceAccount files. */
export const POD_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Everything a check reads comes from here, so a check is a function of its context. What several
 * checks need is a fact (fact.ts), memoised here per run; nothing in the context is written by checks.
 */
export interface AgentContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly options: AgentOptions;
  readonly deadline: RunDeadline;
  now(): Date;
  /** The run's memo behind facts: computes once per key, then hands out the same promise. */
  readonly memo: Memo;
}

export function createContext(
  env: Readonly<Record<string, string | undefined>>,
  options: AgentOptions,
  deadline: RunDeadline,
): AgentContext {
  return {
    env,
    options,
    deadline,
    now: () => new Date(),
    memo: createMemo(),
  };
}
