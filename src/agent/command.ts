import { runChecks } from '../checks/run-checks.js';
import type { Command } from '../cli/command.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Io } from '../cli/io.js';
import { createProgress, type Progress, SILENT, trackRunning } from '../cli/progress.js';
import { renderOptions } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { RunDeadline, withDeadline } from '../lib/deadline.js';
import { buildReport } from '../report/build-report.js';
import { ignoreFindings } from '../report/ignore-findings.js';
import { renderReport } from '../report/render/render-report.js';
import { exitCodeOf } from '../report/summary.js';
import type { CheckResult, Report, ReportContext } from '../report/types.js';
import { agentSdk } from './aws/agent-sdk.js';
import type { Check } from './check.js';
import { CHECK_USAGE, parseCheckArgs } from './check-args.js';
import { createContext } from './context.js';
import { mechanismOf } from './env/mechanism.js';
import { shieldSdkFromConfigFiles } from './env/shield-sdk-config.js';
import type { AgentOptions } from './options.js';
import { ALL_CHECKS, selectChecks } from './registry.js';
import { reportContext } from './report-context.js';

/** `irsa-doctor check`: argv -> context -> checks -> one report. */
export const checkCommand: Command = {
  name: 'check',
  usage: CHECK_USAGE,
  async run(argv, io) {
    const { options, report: how, list } = parseCheckArgs(argv, io);
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
    // Before the run's deadline starts, as when the SDK was part of the bundle's start (agent-sdk.ts).
    if (checks.some((c) => !c.sdkFree)) await agentSdk();
    const progress = createProgress(io.stderr, io.env);
    const ran = await withBackstop(runAgent(checks, options, io.env, progress), checks, options, io.env);
    progress.end();
    const report = ignoreFindings(ran, how.ignore);
    io.stdout.write(renderReport(how.format, report, renderOptions(io, how)));
    return exitCodeOf(report.verdict, how.failOn);
  },
};

/** How long after the run's deadline the report header may still take (its facts are local reads). */
const HEADER_GRACE_MS = 100;
/**
 * How long after the run's deadline the command gives up on the run and prints what it has. Together
 * with the exit that follows (cli exitNow), the process ends within --timeout plus a second.
 */
const BACKSTOP_MS = 600;

/** Runs the checks under the run's deadline, then builds the report header from the facts. */
export async function runAgent(
  checks: readonly Check[],
  options: AgentOptions,
  env: Io['env'],
  progress: Progress = SILENT,
): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = new RunDeadline(options.timeoutMs);
  const endsAt = Date.now() + options.timeoutMs;
  // The checks see the environment as the pod has it; the SDK's own view (process.env) is then kept
  // away from config files it must not open (shield-sdk-config.ts), before any SDK code runs.
  const seen = { ...env };
  await shieldSdkFromConfigFiles();
  const ctx = createContext(seen, options, deadline);
  const running = trackRunning(
    progress,
    'Checking',
    checks.map((c) => c.id),
  );
  const results = await runChecks(checks, ctx, options.debug, (r) => running.done(r.id)).finally(() =>
    running.stop(),
  );
  // The checks are bounded by the runner; the header's facts are awaited here, so bound them too: a
  // file read that never returns leaves the header with what the environment says.
  const header = await withDeadline(
    reportContext(ctx),
    Math.max(0, endsAt - Date.now()) + HEADER_GRACE_MS,
    'report header',
  ).catch(() => envContext(seen));
  return buildReport(startedAt, Math.round(performance.now() - t0), header, results);
}

/** The header when its facts did not come: only what the environment itself says. */
function envContext(env: Io['env']): ReportContext {
  const roleArn = env.AWS_ROLE_ARN?.trim();
  return { mechanism: mechanismOf(env), ...(roleArn ? { roleArn } : {}) };
}

/**
 * The last line of defence against a run that does not end (a stuck file system call, a promise
 * nothing will settle): BACKSTOP_MS after its deadline the command stops waiting and reports every
 * check as not finished (the runner normally settles them all at the deadline, so this is what it has). The timer is ref'd, so a run whose every pending piece holds no handle
 * still ends here rather than exiting silently with status 0.
 */
async function withBackstop(
  run: Promise<Report>,
  checks: readonly Check[],
  options: AgentOptions,
  env: Io['env'],
): Promise<Report> {
  const startedAt = new Date();
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<Report>((resolve) => {
    timer = setTimeout(() => {
      const seconds = Math.round(options.timeoutMs / 1000);
      const results: CheckResult[] = checks.map((c) => ({
        id: c.id,
        title: c.title,
        status: 'error',
        durationMs: options.timeoutMs + BACKSTOP_MS,
        findings: [],
        error: `the run did not end by its deadline (${seconds} s); something it waited on never returned`,
      }));
      resolve(buildReport(startedAt, options.timeoutMs + BACKSTOP_MS, envContext(env), results));
    }, options.timeoutMs + BACKSTOP_MS);
  });
  try {
    return await Promise.race([run, backstop]);
  } finally {
    clearTimeout(timer);
  }
}
