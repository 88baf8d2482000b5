import { CHECK_FLAGS } from '../../agent/check-args.js';
import { parseFlags } from '../../cli/flags.js';

/**
 * The agent's flags for a workload: the targets discovery found (`--flag value` pairs), then the
 * user's flags after `--`. A flag the user gives replaces every discovered one of the same name
 * (`--postgres` theirs, not ours), and the rest are added; the user's come last, as typed.
 */
export function mergeAgentArgs(discovered: readonly string[], user: readonly string[]): string[] {
  const given = new Set(Object.keys(parseFlags(user, CHECK_FLAGS).values));
  const out: string[] = [];
  for (let i = 0; i + 1 < discovered.length; i += 2) {
    const flag = discovered[i]!;
    if (!given.has(flag.replace(/^--/, ''))) out.push(flag, discovered[i + 1]!);
  }
  return [...out, ...user];
}
