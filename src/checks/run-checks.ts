import { DeadlineError, type RunDeadline } from '../lib/deadline.js';
import { escapeControls } from '../lib/escape-controls.js';
import { redact } from '../lib/redact.js';
import { checkStatusOf } from '../report/summary.js';
import type { CheckResult } from '../report/types.js';
import type { Check } from './check.js';

/**
 * Runs checks concurrently. Each is timed and raced against the run's deadline; a throw or an
 * overrun becomes status `error` with a one-line reason, kept apart from `fail`. `onDone` hears of each
 * result as it comes (the progress line); the results are returned in the checks' order.
 */
export async function runChecks<C extends { deadline: RunDeadline }>(
  checks: readonly Check<C>[],
  ctx: C,
  debug = false,
  onDone?: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (c) => {
      const result = await runOne(c, ctx, ctx.deadline, debug);
      onDone?.(result);
      return result;
    }),
  );
}

async function runOne<C>(
  check: Check<C>,
  ctx: C,
  deadline: RunDeadline,
  debug: boolean,
): Promise<CheckResult> {
  const started = performance.now();
  const base = { id: check.id, title: check.title };
  try {
    const findings = await raceDeadline(check.run(ctx), deadline);
    return { ...base, status: checkStatusOf(findings), durationMs: elapsed(started), findings };
  } catch (e) {
    // --debug only; the stack may quote a peer's words, so it is redacted and escaped like any output.
    if (debug && e instanceof Error && e.stack)
      process.stderr.write(`${escapeControls(redact(e.stack), { keepNewlines: true })}\n`);
    return {
      ...base,
      status: 'error',
      durationMs: elapsed(started),
      findings: [],
      error: oneLine(e, deadline),
    };
  }
}

function raceDeadline<T>(work: Promise<T>, deadline: RunDeadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError('check', deadline.totalMs));
    if (deadline.hardSignal.aborted) return onAbort();
    deadline.hardSignal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.hardSignal.removeEventListener('abort', onAbort));
  });
}

function oneLine(e: unknown, deadline: RunDeadline): string {
  if (e instanceof DeadlineError && e.label === 'check') {
    return `did not finish before the run deadline (${Math.round(deadline.totalMs / 1000)} s); raise --timeout or fix the endpoint it waits on`;
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return redact(msg.split('\n')[0]!.slice(0, 300));
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}
