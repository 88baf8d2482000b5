import { RunDeadline } from '../lib/deadline.js';
import { redact } from '../lib/redact.js';
import { buildReport } from '../report/build-report.js';
import { renderJson } from '../report/render-json.js';
import { renderText, wantsColor } from '../report/render-text.js';
import { exitCodeOf } from '../report/summary.js';
import type { Report } from '../report/types.js';
import { createContext } from './context.js';
import { CHECK_USAGE, parseCheckArgs, UsageError } from './parse-args.js';
import { selectChecks } from './registry.js';
import { runChecks } from './runner.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** `irsa-doctor check`: argv -> context -> checks -> one report. Returns the exit code. */
export async function checkMain(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseCheckArgs>;
  try {
    parsed = parseCheckArgs(argv, io.env, Boolean(io.stdout.isTTY));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`irsa-doctor check: ${e.message}\nRun 'irsa-doctor check --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (parsed.help) {
    io.stdout.write(CHECK_USAGE);
    return 0;
  }
  const { options } = parsed;
  const { checks, unknown } = selectChecks(options.only);
  if (parsed.list) {
    for (const c of selectChecks([]).checks) io.stdout.write(`${c.id.padEnd(20)} ${c.title}\n`);
    return 0;
  }
  if (unknown.length > 0) {
    io.stderr.write(
      `irsa-doctor check: unknown check id(s): ${unknown.join(', ')}. Run 'irsa-doctor check --list'.\n`,
    );
    return 2;
  }
  const report = await runAgent(checks, options, io.env);
  io.stdout.write(
    options.output === 'json'
      ? renderJson(report)
      : renderText(report, { color: wantsColor(io.stdout, io.env) }),
  );
  return exitCodeOf(report.verdict);
}

export async function runAgent(
  checks: Parameters<typeof runChecks>[0],
  options: Parameters<typeof createContext>[1],
  env: Io['env'],
): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = new RunDeadline(options.timeoutMs);
  const ctx = createContext(env, options, deadline);
  const results = await runChecks(checks, ctx, options.debug);
  return buildReport(startedAt, Math.round(performance.now() - t0), ctx.facts, results);
}

/** Last line of defence: whatever escapes becomes one redacted line, never a stack trace. */
export function describeCrash(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && e.stack) return redact(e.stack);
  const msg = e instanceof Error ? e.message : String(e);
  return redact(msg.split('\n')[0] ?? 'unknown error');
}
