import type { Memo } from './memo.js';

/**
 * Facts for one kind of context: a value several checks need, computed at most once per memo and awaited
 * by whoever needs it. The first check that awaits it starts the computation, every other one gets the
 * same promise; nothing writes shared state while checks run. `memoOf` picks the memo a fact lives in
 * (the run's, or a sweep's shared by every ServiceAccount of a sweep).
 */
export function factsFor<C>(memoOf: (ctx: C) => Memo) {
  return {
    fact<T>(name: string, compute: (ctx: C) => Promise<T>): (ctx: C) => Promise<T> {
      const key = Symbol(name);
      return (ctx) => memoOf(ctx)(key, () => compute(ctx));
    },
    /** A fact per argument (an issuer, an endpoint, a role): memoised by the key the argument maps to. */
    factFamily<A, T>(
      name: string,
      keyOf: (arg: A) => string,
      compute: (ctx: C, arg: A) => Promise<T>,
    ): (ctx: C, arg: A) => Promise<T> {
      return (ctx, arg) => memoOf(ctx)(`${name}:${keyOf(arg)}`, () => compute(ctx, arg));
    },
  };
}
