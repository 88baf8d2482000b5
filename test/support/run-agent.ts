import { fileURLToPath } from 'node:url';
import type { CheckResult, Finding, Report } from '../../src/report/types.js';
import { reportProblems } from './report-schema.js';
import { spawnCapture } from './spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  /** Every finding of the run, flattened. */
  findings: Finding[];
  finding(code: string): Finding | undefined;
  check(id: string): CheckResult | undefined;
}

/**
 * Runs the built CLI (`irsa-doctor check -o json ...`) as a child process with exactly `env`
 * (plus PATH), the way a pod would, and parses its report. The parent's AWS_* variables never leak in.
 */
export async function runAgent(env: Record<string, string>, args: string[] = []): Promise<AgentRun> {
  const { code, stdout, stderr } = await runCli(['check', '-o', 'json', ...args], env);
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch {
    throw new Error(`agent printed no JSON report (exit ${code}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
  // Every real report must honour the published contract and the catalog, whatever the scenario asserts.
  const problems = reportProblems(report);
  if (problems.length) throw new Error(`${problems.join('\n')}\n(exit ${code})\nstdout:\n${stdout}`);
  const findings = report.checks.flatMap((c) => c.findings);
  return {
    code,
    stdout,
    stderr,
    report,
    findings,
    finding: (c) => findings.find((f) => f.code === c),
    check: (id) => report.checks.find((c) => c.id === id),
  };
}

/** Runs the CLI with arbitrary args and returns raw output (for text, help and usage tests). */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A run that outlives any test timeout is killed rather than left behind.
  return spawnCapture(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    killAfterMs: 60_000,
  });
}
