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
  memo<T>(key: symbol | string, compute: () => Promise<T>): Promise<T>;
}

export function createContext(
  env: Readonly<Record<string, string | undefined>>,
  options: AgentOptions,
  deadline: RunDeadline,
): AgentContext {
  const memo = new Map<symbol | string, Promise<unknown>>();
  return {
    env,
    options,
    deadline,
    now: () => new Date(),
    memo<T>(key: symbol | string, compute: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = compute();
        memo.set(key, p);
      }
      return p;
    },
  };
}
