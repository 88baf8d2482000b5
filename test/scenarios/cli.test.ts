// The command line itself through the built CLI: help, usage errors, exit codes, output formats and
// colour. Report contents are the other scenario files' business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { schemaErrors } from '../support/report-schema.js';
import { runCli } from '../support/run-agent.js';

const ANSI = /\u001b\[[0-9;]*m/;
const LOCAL = ['--only', 'env,role-arn,token-file,token-claims'];

let stack: EksStack;
let pod: Record<string, string>;
beforeAll(async () => {
  stack = await startEksStack();
  pod = await stack.podEnv();
});
afterAll(() => stack?.close());

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('help and version', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage:/);
    expect(r.stdout).toContain('irsa-doctor check');
    expect(r.stdout).toContain('irsa-doctor run');
    expect(r.stderr).toBe('');
  });

  it('check --help lists the check flags and exits 0', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: irsa-doctor check/);
    for (const flag of ['--output', '--timeout', '--only']) expect(r.stdout).toContain(flag);
    expect(r.stderr).toBe('');
  });

  it('version prints the package version', async () => {
    const r = await runCli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2 with a short message on stderr and nothing on stdout', () => {
  it.each([
    [['check', '--bogus'], /--bogus/],
    [['check', '--timeout', '0'], /--timeout/],
    [['check', '--timeout', 'soon'], /--timeout/],
    [['check', '-o', 'yaml'], /yaml|output/],
  ])('%j', async (args, names) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const err = lines(r.stderr);
    // The problem on the first line, at most a pointer to --help after it; never a stack trace.
    expect(err[0]).toMatch(names);
    expect(err.length).toBeLessThanOrEqual(2);
    expect(err.slice(1).join('\n')).not.toMatch(/^\s+at /m);
  });

  it('an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)[0]).toContain('frobnicate');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('output formats', () => {
  it('-o json: stdout is the report and stderr carries none of it', async () => {
    const r = await runCli(['check', '-o', 'json', ...LOCAL], pod);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(schemaErrors(report)).toEqual([]);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      'env',
      'role-arn',
      'token-file',
      'token-claims',
    ]);
    expect(r.stderr).not.toContain('ENV-INJECTED');
    expect(r.stderr).not.toContain('"checks"');
  });

  it('-o text with FORCE_COLOR=1 is coloured', async () => {
    const r = await runCli(['check', '-o', 'text', '-v', ...LOCAL], { ...pod, FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(ANSI);
    expect(r.stdout).toContain('ENV-INJECTED');
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['NO_COLOR=1 with FORCE_COLOR=1', { NO_COLOR: '1', FORCE_COLOR: '1' }],
    ['neither (not a TTY)', {}],
  ])('-o text with %s has no ANSI escapes', async (_label, extra) => {
    const r = await runCli(['check', '-o', 'text', '--verbose', ...LOCAL], { ...pod, ...extra });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ENV-INJECTED');
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('-o text is not JSON, and a failing pod exits 1', async () => {
    const r = await runCli(['check', '-o', 'text', ...LOCAL], { ...pod, AWS_ROLE_ARN: 'not-an-arn' });
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.stdout)).toThrow();
    expect(r.stdout).toContain('ARN-INVALID');
  });
});
