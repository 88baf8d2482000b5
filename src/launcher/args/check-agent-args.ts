import { Writable } from 'node:stream';
import { parseCheckArgs } from '../../agent/check-args.js';
import type { AgentOptions } from '../../agent/options.js';
import { UsageError } from '../../cli/usage-error.js';

/**
 * The agent flags after `--`, checked with the agent's own flag table before anything is created: a
 * flag the agent refuses would only surface as a Job whose pod printed a usage error. Only the
 * argument table is imported (agent/check-args.ts), never the agent's checks, so `run` stays small.
 * The workstation's IRSA_DOCTOR_* variables are not the pod's, so they play no part here.
 */
export function checkAgentArgs(agentArgs: readonly string[], jobTimeoutSeconds: number): void {
  if (agentArgs.length === 0) return;
  const noReport = agentArgs.find((a) => a === '--list' || a === '--help' || a === '-h');
  if (noReport) {
    throw new UsageError(
      `agent flag "${noReport}" after "--": the agent would print no report for the launcher to read; run irsa-doctor check ${noReport} locally instead`,
    );
  }
  let timeoutMs: number;
  try {
    timeoutMs = parseCheckArgs(agentArgs, { stdout: silent(), stderr: silent(), env: {} }).options.timeoutMs;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`agent flags after "--": ${e.message}`);
    throw e;
  }
  const given = agentArgs.some((a) => a === '--timeout' || a.startsWith('--timeout='));
  if (given && timeoutMs >= jobTimeoutSeconds * 1000) {
    throw new UsageError(
      `agent flag --timeout ${timeoutMs / 1000} after "--" must be under run's --timeout (${jobTimeoutSeconds} s), the Job's deadline: omit it and the launcher picks one`,
    );
  }
}

/** The agent's options from the flags after `--` (already checked): `run --audit` audits the same targets. */
export function agentOptionsOf(agentArgs: readonly string[]): AgentOptions {
  return parseCheckArgs(agentArgs, { stdout: silent(), stderr: silent(), env: {} }).options;
}

function silent(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}
