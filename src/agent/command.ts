import { runChecks } from '../checks/run-checks.js';
import type { Command } from '../cli/command.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { RunDeadline } from '../lib/deadline.js';
import { buildReport } from '../report/build-report.js';
import { renderJson } from '../report/render/json.js';
import { renderText } from '../report/render/text.js';
import { exitCodeOf } from '../report/summary.js';
import type { Report } from '../report/types.js';
import type { Check } from './check.js';
import { CHECK_USAGE, parseCheckArgs } from './check-args.js';
import { createContext } from './context.js';
import type { AgentOptions } from './options.js';
import { ALL_CHECKS, selectChecks } from './registry.js';
import { reportContext } from './report-context.js';

/** `irsa-doctor check`: argv -> context -> checks -> one report. */
export const checkCommand: Command = {
  name: 'check',
  usage: CHECK_USAGE,
  async run(argv, io) {
    const { options, list } = parseCheckArgs(argv, io);
    if (list) {
      for (const c of ALL_CHECKS) io.stdout.write(`${c.id.padEnd(20)} ${c.title}\n`);
      return EXIT.ok;
    }
    const { checks, unknown } = selectChecks(options.only);
    if (unknown.length > 0)
      throw new UsageError(
        `unknown check id(s): ${unknown.join(', ')}`,
        "Run 'irsa-doctor check --list' for the check ids.",
      );
    const report = await runAgent(checks, options, io.env);
    io.stdout.write(
      options.output === 'json'
        ? renderJson(report)
        : renderText(report, { color: wantsColor(io.stdout, io.env) }),
    );
    return exitCodeOf(report.verdict);
  },
};

/** Runs the checks under the run's deadline, then builds the report header from the facts. */
export async function runAgent(
  checks: readonly Check[],
  options: AgentOptions,
  env: Io['env'],
): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = new RunDeadline(options.timeoutMs);
  const ctx = createContext(env, options, deadline);
  const results = await runChecks(checks, ctx, options.debug);
  return buildReport(startedAt, Math.round(performance.now() - t0), await reportContext(ctx), results);
}
