import { CATALOG, specOf } from '../report/catalog/index.js';
import { REPORT_FORMATS, type RenderOptions, type ReportFormat } from '../report/render/render-report.js';
import { DEFAULT_TEXT_WIDTH } from '../report/render/text.js';
import type { FailOn } from '../report/summary.js';
import { didYouMean } from './did-you-mean.js';
import { type FlagTable, listValue } from './flags.js';
import type { Io } from './io.js';
import { oneOf, resolveOutput, wantsColor } from './output.js';
import { UsageError } from './usage-error.js';

/** The flags every command that prints a report takes, spelled the same everywhere. */
export const REPORT_FLAGS = {
  output: { type: 'string', short: 'o' },
  verbose: { type: 'boolean', short: 'v' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string', multiple: true },
} as const satisfies FlagTable;

/** The lines of a command's --help that describe REPORT_FLAGS. */
export const REPORT_USAGE = `  -o, --output FORMAT         text, json, sarif, junit or markdown (default: $IRSA_DOCTOR_OUTPUT, else
                              text on a terminal, json otherwise)
  -v, --verbose               text: show every finding, passes and skips too
      --fail-on LEVEL         fail (default), warn or never: which verdict makes the exit code 1
      --ignore CODES          finding codes you accept (comma-separated, repeatable; env IRSA_DOCTOR_IGNORE):
                              they count as info and stay in the report marked "ignored by the user"`;

const FAIL_ON: readonly FailOn[] = ['fail', 'warn', 'never'];

/** How the user wants the report: its format, what fails the exit code, what to ignore, how much to show. */
export interface ReportOptions {
  format: ReportFormat;
  failOn: FailOn;
  /** Codes to downgrade to info (ignore-findings.ts). */
  ignore: ReadonlySet<string>;
  verbose: boolean;
}

/** The flags' raw values, as parseFlags gives them. */
export interface ReportFlagValues {
  output?: string | undefined;
  verbose?: boolean | undefined;
  'fail-on'?: string | undefined;
  ignore?: string[] | undefined;
}

/**
 * The report options from the flags, else the IRSA_DOCTOR_OUTPUT / IRSA_DOCTOR_IGNORE variables, else
 * the defaults. An ignored code must be one the catalog has: a typo would silently ignore nothing.
 */
export function reportOptions(
  values: ReportFlagValues,
  io: Io,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): ReportOptions {
  const format = resolveOutput(values.output, io, formats);
  const failOn = values['fail-on'] ?? 'fail';
  if (!FAIL_ON.includes(failOn as FailOn))
    throw new UsageError(`--fail-on must be ${oneOf(FAIL_ON)}, not ${JSON.stringify(failOn)}`);
  const codes = [...listValue(values.ignore), ...listValue(io.env.IRSA_DOCTOR_IGNORE)].map((c) =>
    c.toUpperCase(),
  );
  for (const code of codes) {
    if (specOf(code)) continue;
    const guess = didYouMean(code, Object.keys(CATALOG));
    throw new UsageError(
      `--ignore: ${JSON.stringify(code)} is not a finding code${guess ? ` (did you mean ${guess}?)` : ''}`,
      'Codes are listed in docs/codes.md.',
    );
  }
  return { format, failOn: failOn as FailOn, ignore: new Set(codes), verbose: Boolean(values.verbose) };
}

/** How text is drawn for this output: colour, the terminal's width, and the user's choices. */
export function renderOptions(io: Io, report: ReportOptions): RenderOptions {
  return {
    color: wantsColor(io.stdout, io.env),
    width: textWidth(io),
    verbose: report.verbose,
    failOn: report.failOn,
  };
}

/**
 * Columns to wrap text at: COLUMNS when set (the convention that lets a user or a test choose), else
 * the terminal's width, else 80 (a pipe or a file). Kept within 40..400 so a wrong value stays readable.
 */
export function textWidth(io: Io): number {
  const fromEnv = Number(io.env.COLUMNS);
  const columns =
    Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : io.stdout.isTTY ? io.stdout.columns : undefined;
  return Math.min(400, Math.max(40, columns ?? DEFAULT_TEXT_WIDTH));
}
