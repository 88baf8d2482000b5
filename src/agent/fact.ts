import type { AgentContext } from './context.js';

/** A value several checks need, computed at most once per run and awaited by whoever needs it. */
export type Fact<T> = (ctx: AgentContext) => Promise<T>;

/**
 * Declares a fact: the first check that awaits it starts the computation, every other one gets the
 * same promise. Nothing writes shared state while checks run; the report header is built from facts too.
 */
export function fact<T>(name: string, compute: (ctx: AgentContext) => Promise<T>): Fact<T> {
  const key = Symbol(name);
  return (ctx) => ctx.memo(key, () => compute(ctx));
}

/** A fact per argument (an issuer, an endpoint): memoised by the key the argument maps to. */
export function factFamily<A, T>(
  name: string,
  keyOf: (arg: A) => string,
  compute: (ctx: AgentContext, arg: A) => Promise<T>,
): (ctx: AgentContext, arg: A) => Promise<T> {
  return (ctx, arg) => ctx.memo(`${name}:${keyOf(arg)}`, () => compute(ctx, arg));
}
