import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * The report format: the flag, else the IRSA_DOCTOR_OUTPUT variable, else text on a terminal and JSON
 * in a pipe (so scripts get JSON without asking, people get text).
 */
export function resolveOutput<F extends string>(
  flag: string | undefined,
  io: Io,
  allowed: readonly F[],
  fallback: { tty: F; pipe: F } = { tty: 'text' as F, pipe: 'json' as F },
): F {
  const chosen = flag ?? io.env.IRSA_DOCTOR_OUTPUT ?? (io.stdout.isTTY ? fallback.tty : fallback.pipe);
  if (!allowed.includes(chosen as F))
    throw new UsageError(`--output must be ${oneOf(allowed)}, not ${JSON.stringify(chosen)}`);
  return chosen as F;
}

/** `a`, `a or b`, `a, b or c`. */
export function oneOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Colour the way CLI users expect: a TTY, never with NO_COLOR set to anything, FORCE_COLOR to insist. */
export function wantsColor(stream: { isTTY?: boolean }, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
