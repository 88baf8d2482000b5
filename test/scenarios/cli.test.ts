// The command line itself through the built CLI: help, usage errors, exit codes, output formats and
// colour. Report contents are the other scenario files' business.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { schemaErrors } from '../support/report-schema.js';
import { runCli } from '../support/run-agent.js';
import { sarifErrors } from '../support/sarif-schema.js';

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

  it('help check prints the check help, as check --help does', async () => {
    const help = await runCli(['help', 'check']);
    const flag = await runCli(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: irsa-doctor check/);
    expect(help.stdout).toBe(flag.stdout);
  });

  it('a mistyped command or help topic gets the closest command', async () => {
    for (const args of [['chek'], ['help', 'audti']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)[0]).toMatch(/did you mean (check|audit)\?/);
    }
  });

  it('-v means verbose (before or after the command); alone it points to --version', async () => {
    const after = await runCli(['check', '-o', 'text', '-v', ...LOCAL], { ...pod, NO_COLOR: '1' });
    const before = await runCli(['-v', 'check', '-o', 'text', ...LOCAL], { ...pod, NO_COLOR: '1' });
    for (const r of [after, before]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {6}PASS {2}ENV-INJECTED/m);
    }
    const alone = await runCli(['-v']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--version');
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

describe('compact text', () => {
  it('a healthy pod: one line per check and the verdict, no finding lines, no problems', async () => {
    const r = await runCli(['check', '-o', 'text', ...LOCAL], { ...pod, NO_COLOR: '1' });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    // At 80 columns the titles are whole and the ids left out (they do not both fit).
    expect(out.filter((l) => /^PASS\s/.test(l)).map((l) => l.replace(/\s+\d+ ms$/, ''))).toEqual([
      'PASS  Credentials environment (IRSA / Pod Identity) and what shadows it',
      'PASS  Role ARN (AWS_ROLE_ARN) is well formed',
      'PASS  Projected token file is mounted and readable',
      'PASS  Token claims: expiry, audience, subject',
    ]);
    expect(r.stdout).not.toContain('ENV-INJECTED');
    expect(r.stdout).not.toContain('Problems:');
    expect(out.at(-1)).toMatch(/^Verdict: PASS \(/);
  });

  it('a broken pod at 60 columns: the finding under its check, its fix wrapped, a problems recap', async () => {
    const r = await runCli(['check', '-o', 'text', ...LOCAL], {
      ...pod,
      AWS_ROLE_ARN: 'arn:aws:iam:::111122223333:role/app',
      NO_COLOR: '1',
      COLUMNS: '60',
    });
    expect(r.code).toBe(1);
    const out = r.stdout.split('\n');
    const check = out.findIndex((l) => /^FAIL {2}Role ARN/.test(l));
    expect(out[check + 1]).toMatch(/^ {6}FAIL {2}ARN-INVALID {2}/);
    expect(r.stdout).toMatch(/^ {8}Fix: Set the ServiceAccount annotation/m);
    // A command sits on lines of its own, split between arguments with shell continuations: pasted
    // into a shell, the lines are the one command.
    let at = out.findIndex((l) => l.trim().startsWith('kubectl annotate sa'));
    const command = [out[at]!];
    while (command.at(-1)!.endsWith(' \\')) command.push(out[++at]!);
    expect(command.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(
      'kubectl annotate sa zeebe-sa -n camunda eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/app --overwrite',
    );
    // A fix's command and document lines are indented under its text (8 + "Fix: " + 2).
    for (const l of out) if (!l.startsWith(' '.repeat(15))) expect(l.length, l).toBeLessThanOrEqual(60);
    const problems = out.indexOf('Problems:');
    expect(problems).toBeGreaterThan(check);
    expect(out[problems + 1]).toMatch(/^ {2}FAIL {2}ARN-INVALID {2}/);
    expect(out[problems + 2]).toMatch(/^ {8}Fix: Set the ServiceAccount annotation/);
    expect(out.filter((l) => l !== '').at(-2)).toMatch(/^Verdict: FAIL \(3 pass, /);
  });
});

describe('CI formats, --fail-on and --ignore', () => {
  const broken = () => ({ ...pod, AWS_ROLE_ARN: 'arn:aws:iam:::111122223333:role/app' });

  it('-o sarif is valid SARIF 2.1.0: a rule per code with its docs link, a result per problem', async () => {
    const r = await runCli(['check', '-o', 'sarif', ...LOCAL], broken());
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'ARN-INVALID');
    expect(rule.helpUri).toMatch(/docs\/codes\.md#arn-invalid$/);
    expect(run.results.map((x: { ruleId: string; level: string }) => `${x.ruleId}:${x.level}`)).toContain(
      'ARN-INVALID:error',
    );
  });

  it('-o junit is XML with a test case per check; the failure carries the fix', async () => {
    const r = await runCli(['check', '-o', 'junit', ...LOCAL], broken());
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
    const cases = [xml.testsuites.testsuite.testcase].flat();
    expect(cases).toHaveLength(4);
    const failed = cases.filter((c: { failure?: unknown }) => c.failure);
    expect(failed.map((c: { failure: { type: string } }) => c.failure.type)).toEqual(['ARN-INVALID']);
    expect(failed[0].failure['#text']).toContain('Fix: Set the ServiceAccount annotation');
  });

  it('-o markdown: a verdict heading, a table of checks, the finding collapsible', async () => {
    const r = await runCli(['check', '-o', 'markdown', ...LOCAL], broken());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## .* irsa-doctor: FAIL/);
    expect(r.stdout).toContain('| | Check | Time | Findings |');
    expect(r.stdout).toMatch(/<details><summary>.*<code>ARN-INVALID<\/code>/);
  });

  it('--fail-on never exits 0 on a failing pod; --fail-on warn and an unknown level', async () => {
    expect((await runCli(['check', '-o', 'json', '--fail-on', 'never', ...LOCAL], broken())).code).toBe(0);
    expect((await runCli(['check', '-o', 'json', '--fail-on', 'warn', ...LOCAL], pod)).code).toBe(0);
    const bad = await runCli(['check', '--fail-on', 'sometimes', ...LOCAL], pod);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)[0]).toContain('--fail-on must be fail, warn or never');
  });

  it('--ignore and IRSA_DOCTOR_IGNORE turn a finding into info marked "ignored by the user"', async () => {
    for (const [args, env] of [
      [['--ignore', 'arn-invalid'], broken()],
      [[], { ...broken(), IRSA_DOCTOR_IGNORE: 'ARN-INVALID' }],
    ] as const) {
      const json = await runCli(['check', '-o', 'json', ...args, ...LOCAL], env);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(schemaErrors(report)).toEqual([]);
      const f = report.checks
        .flatMap((c: { findings: unknown[] }) => c.findings)
        .find((x: { code: string }) => x.code === 'ARN-INVALID');
      expect(f.status).toBe('info');
      expect(f.details.ignored).toMatchObject({ by: 'user', status: 'fail' });
      expect(f.docs).toMatch(/docs\/codes\.md#arn-invalid$/);
      const text = await runCli(['check', '-o', 'text', ...args, ...LOCAL], { ...env, NO_COLOR: '1' });
      expect(text.stdout).toMatch(/INFO {2}ARN-INVALID \(FAIL, ignored by the user\)/);
    }
    const typo = await runCli(['check', '--ignore', 'ARN-INVALD', ...LOCAL], pod);
    expect(typo.code).toBe(2);
    expect(lines(typo.stderr)[0]).toContain('did you mean ARN-INVALID?');
  });
});
