import { didYouMean } from './did-you-mean.js';
import { UsageError } from './usage-error.js';

/** One flag of a command: `--name VALUE` / `--name=VALUE` / `-x VALUE`, or a boolean `--name`. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Repeatable: each occurrence adds a value. */
  multiple?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export type FlagValues<T extends FlagTable> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean'
    ? boolean
    : T[K]['multiple'] extends true
      ? string[]
      : string;
};

export interface ParsedFlags<T extends FlagTable> {
  values: FlagValues<T>;
  positionals: string[];
  /** Everything after a lone `--`, untouched. */
  rest: string[];
}

/**
 * Parses argv against a command's flag table, the way kubectl users type flags, and says what is wrong
 * in the tool's own words (with a "did you mean" for typos) instead of the parser's.
 */
export function parseFlags<T extends FlagTable>(
  argv: readonly string[],
  table: T,
  opts: { positionals?: boolean } = {},
): ParsedFlags<T> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(table).flatMap(([n, s]) => (s.short ? [[s.short, n] as const] : [])),
  );
  const names = Object.keys(table).map((n) => `--${n}`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { values: values as FlagValues<T>, positionals, rest: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') {
      if (!opts.positionals)
        throw new UsageError(`unexpected argument ${JSON.stringify(arg)}${positionalHint(arg, names)}`);
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const key = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1, 2);
    const name = long ? key : byShort.get(key);
    const spec = name === undefined ? undefined : table[name];
    if (name === undefined || spec === undefined) {
      const typed = long ? `--${key}` : `-${key}`;
      const guess = didYouMean(typed, names);
      throw new UsageError(`unknown flag ${typed}${guess ? ` (did you mean ${guess}?)` : ''}`);
    }
    const shown = long ? `--${name}` : `-${key}`;
    let value: string | undefined;
    if (long && eq >= 0) value = arg.slice(eq + 1);
    else if (!long && arg.length > 2) value = arg.slice(arg[2] === '=' ? 3 : 2);
    if (spec.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`flag ${shown} takes no value`);
      values[name] = true;
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-'))
        throw new UsageError(`flag ${shown} needs a value`);
      value = next;
      i++;
    }
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else values[name] = value;
  }
  return { values: values as FlagValues<T>, positionals, rest: [] };
}

function positionalHint(arg: string, names: string[]): string {
  const guess = didYouMean(`--${arg}`, names);
  return guess ? ` (did you mean ${guess}?)` : '';
}

/** Splits a comma-separated flag or variable into its non-empty items. */
export function listValue(v: string | readonly string[] | undefined): string[] {
  const items = typeof v === 'string' ? [v] : (v ?? []);
  return items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
