import { fileURLToPath } from 'node:url';
import { statusesOf } from '../../src/report/catalog/define.js';
import { specOf } from '../../src/report/catalog/index.js';
import type { CheckResult, Finding, Report } from '../../src/report/types.js';
import { schemaErrors } from './report-schema.js';
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
  // Every real report must honour the published contract, whatever the scenario asserts.
  const errors = schemaErrors(report);
  if (errors.length)
    throw new Error(
      `report violates docs/report.schema.json (exit ${code}):\n${errors.join('\n')}\nstdout:\n${stdout}`,
    );
  const findings = report.checks.flatMap((c) => c.findings);
  // ... and every finding is one the catalog defines, with a status the catalog allows for it.
  const offCatalog = findings.filter((f) => {
    const spec = specOf(f.code);
    return !spec || !statusesOf(spec).includes(f.status);
  });
  if (offCatalog.length)
    throw new Error(
      `findings the catalog does not allow: ${offCatalog.map((f) => `${f.code}:${f.status}`).join(', ')}`,
    );
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
