// The output edge under hostile input, through the built CLI (issue 9): a password in any URL-shaped
// input never reaches stdout or stderr; a stdout whose reader went away or whose disk is full ends the
// program with one conventional status and no stack trace; config files that are not files (a FIFO,
// /dev/zero) neither hang the run nor eat memory; and control characters from tokens, variables and
// servers reach a terminal only escaped. See docs/reliability.md.
import { type ChildProcess, execFileSync, type StdioOptions, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/types.js';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { startKubeApi } from '../harness/kube-api.js';
import { eksPodRuntime } from '../harness/kubelet-eks.js';
import { type Peer, startAltSts, stsError } from '../peers/identity-peers.js';
import { runCli } from '../support/run-agent.js';

const STUCK_FS_PRELOAD = fileURLToPath(new URL('../support/stuck-fs-preload.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const CANARY = 'CANARYpw0000hunter2';
const STACK_TRACE = /^\s+at .+[:(]/m;
// A process's own start-up (Node, then loading the check command's code) is not part of the run's
// --timeout, which starts when the command does; measured once, subtracted from wall times.
let startupMs = 0;

let stack: EksStack;
let dir: string;
let files = 0;

beforeAll(async () => {
  stack = await startEksStack({ podIdentity: {} });
  dir = mkdtempSync(join(stack.tmpDir, 'hostile-'));
  const t: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    await runCli(['check', '--list']);
    t.push(performance.now() - t0);
  }
  startupMs = Math.min(...t);
});
afterAll(() => stack?.close());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The built CLI with exactly `env` (plus PATH) and the stdout we choose: a pipe (collected, or closed
 * early by `onStdout`), or a file descriptor such as /dev/full. Killed after 30 s: a hang fails the test
 * rather than the suite.
 */
function spawnCli(
  args: string[],
  env: Record<string, string>,
  stdout: 'pipe' | number = 'pipe',
  onStdout?: (child: ChildProcess, chunk: Buffer) => void,
  onSpawn?: (child: ChildProcess) => void,
): Promise<Run> {
  const t0 = performance.now();
  const stdio: StdioOptions = ['ignore', stdout, 'pipe'];
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio,
  });
  onSpawn?.(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d;
    onStdout?.(child, d);
  });
  // Reading from a pipe we destroyed on purpose must not fail the test.
  child.stdout?.on('error', () => undefined);
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: out, stderr: err, ms: performance.now() - t0 });
    }),
  );
}

function reportOf(r: Run): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${r.code})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const findingsOf = (report: Report): Finding[] => report.checks.flatMap((c) => c.findings);

/** The statuses `code` has in the report (a code two checks share may appear twice). */
function codeStatus(report: Report, code: string): string | undefined {
  const statuses: string[] = findingsOf(report)
    .filter((f) => f.code === code)
    .map((f) => f.status);
  // The worst one decides, as it does for the verdict.
  return ['fail', 'warn', 'info', 'pass', 'skip'].find((s) => statuses.includes(s));
}

/** A file under the test's temp dir. */
function file(content: string, name = `f${++files}`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A FIFO nobody ever writes: whoever opens it for reading blocks until someone does. */
function fifo(path = join(dir, `fifo${++files}`)): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** Wall time of the run itself: what the process took beyond its own start-up. */
const runMs = (r: Run) => r.ms - startupMs;

describe('a password in a URL never reaches the output', () => {
  interface Case {
    name: string;
    env: () => Promise<Record<string, string>>;
    args?: string[];
    /** [code, status] the run must report */
    expect: Array<[string, string]>;
    exit: number;
  }
  const irsa = () => stack.podEnv();
  const cases: Case[] = [
    {
      name: 'AWS_ENDPOINT_URL_STS with user:password, reachable',
      env: async () => ({
        ...(await irsa()),
        AWS_ENDPOINT_URL_STS: stack.sts.url.replace('http://', `http://admin:${CANARY}@`),
      }),
      args: ['--only', 'env,sts'],
      expect: [['STS-OK', 'pass']],
      exit: 0,
    },
    {
      name: 'AWS_ENDPOINT_URL_STS with user:password, refused (message, fix and curl)',
      env: async () => ({ ...(await irsa()), AWS_ENDPOINT_URL_STS: `http://admin:${CANARY}@127.0.0.1:1` }),
      args: ['--only', 'env,sts'],
      expect: [['STS-UNREACHABLE', 'fail']],
      exit: 1,
    },
    {
      name: 'AWS_ENDPOINT_URL with user:password',
      env: async () => {
        const env = await irsa();
        delete env.AWS_ENDPOINT_URL_STS;
        return { ...env, AWS_ENDPOINT_URL: `http://admin:${CANARY}@127.0.0.1:1` };
      },
      args: ['--only', 'env,sts'],
      expect: [['STS-UNREACHABLE', 'fail']],
      exit: 1,
    },
    {
      name: 'AWS_EC2_METADATA_SERVICE_ENDPOINT with user:password',
      env: async () => ({
        ...(await irsa()),
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://admin:${CANARY}@127.0.0.1:1`,
      }),
      args: ['--only', 'imds'],
      expect: [['IMDS-BLOCKED', 'pass']],
      exit: 0,
    },
    {
      name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI with user:password (PODID-UNREACHABLE, CHAIN-FAILED)',
      env: async () => ({
        ...(await stack.podEnv({ mechanism: 'pod-identity' })),
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://admin:${CANARY}@127.0.0.1:1/v1/credentials`,
      }),
      args: ['--only', 'env,pod-identity,chain'],
      expect: [
        ['PODID-UNREACHABLE', 'fail'],
        ['CHAIN-FAILED', 'fail'],
      ],
      exit: 1,
    },
    {
      // STS goes through the proxy now: the finding names it (user, host, port), never its password.
      name: 'HTTPS_PROXY and HTTP_PROXY with user:password',
      env: async () => ({
        ...(await irsa()),
        HTTPS_PROXY: `http://proxy-user:${CANARY}@127.0.0.1:1`,
        HTTP_PROXY: `http://proxy-user:${CANARY}@127.0.0.1:1`,
      }),
      args: ['--only', 'env,sts'],
      expect: [
        ['ENV-INJECTED', 'pass'],
        ['PROXY-UNREACHABLE', 'fail'],
      ],
      exit: 1,
    },
    {
      name: '--opensearch https://admin:password@host (the tool says it carries user:password)',
      env: irsa,
      args: ['--only', 'opensearch', '--opensearch', `https://admin:${CANARY}@127.0.0.1:1`],
      expect: [['OS-TARGET-INVALID', 'fail']],
      exit: 1,
    },
    {
      name: "unparsable --postgres 'admin:password@127.0.0.1:0' (message, details.raw, PG-USER-MISSING)",
      env: irsa,
      args: ['--only', 'postgres-reachability,postgres', '--postgres', `admin:${CANARY}@127.0.0.1:0`],
      expect: [
        ['PG-TARGET-INVALID', 'fail'],
        ['PG-USER-MISSING', 'fail'],
      ],
      exit: 1,
    },
    {
      name: '--postgres mysql://admin:password@host (a URL of another scheme)',
      env: irsa,
      args: [
        '--only',
        'postgres-reachability,postgres',
        '--postgres',
        `mysql://admin:${CANARY}@127.0.0.1:5432/db`,
      ],
      expect: [['PG-TARGET-INVALID', 'fail']],
      exit: 1,
    },
  ];

  it.each(cases)('$name', async (c) => {
    const env = { ...(await c.env()), NO_COLOR: '1' };
    for (const output of ['json', 'text']) {
      const r = await spawnCli(['check', '-o', output, '--debug', '--timeout', '8', ...(c.args ?? [])], env);
      expect(r.code, r.stderr).toBe(c.exit);
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      if (output === 'json') {
        const report = reportOf(r);
        for (const [code, status] of c.expect) expect(codeStatus(report, code), code).toBe(status);
      } else {
        for (const [code] of c.expect) expect(r.stdout).toContain(code);
      }
    }
  });

  it('the user name stays, so the finding still says whom the login was tried as', async () => {
    const r = await spawnCli(
      ['check', '-o', 'json', '--only', 'opensearch', '--opensearch', `https://admin:${CANARY}@127.0.0.1:1`],
      await stack.podEnv(),
    );
    const f = findingsOf(reportOf(r)).find((x) => x.code === 'OS-TARGET-INVALID');
    expect(f?.message).toContain('https://admin:<redacted>@127.0.0.1:1');
    expect(JSON.stringify(f?.details)).toContain('admin:<redacted>@');
  });

  it('a usage error that echoes a flag value masks its password too', async () => {
    const r = await spawnCli(['check', '--timeout', `http://admin:${CANARY}@host`], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('admin:<redacted>@host');
    expect(r.stderr).not.toContain(CANARY);
  });

  describe('run: the kubeconfig server and the agent flags after --', () => {
    let kubeDir: string;
    beforeAll(() => {
      kubeDir = mkdtempSync(join(stack.tmpDir, 'kube-'));
    });

    function kubeconfig(server: string): string {
      const p = join(kubeDir, `kubeconfig-${++files}.json`);
      writeFileSync(
        p,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
          users: [{ name: 'u', user: { token: 'not-a-secret' } }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'c',
        }),
      );
      return p;
    }

    it('--dry-run prints the Job with the agent flags masked (yaml and json)', async () => {
      const env = { KUBECONFIG: kubeconfig('https://127.0.0.1:1'), HOME: kubeDir };
      const agentArgs = [
        '--postgres',
        `admin:${CANARY}@db:5432`,
        '--opensearch',
        `https://admin:${CANARY}@os`,
      ];
      for (const output of ['yaml', 'json']) {
        const r = await spawnCli(
          ['run', '-n', 'ns', '-s', 'sa', '--dry-run', '-o', output, '--', ...agentArgs],
          env,
        );
        expect(r.code).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(CANARY);
        expect(r.stdout).toContain('admin:<redacted>@db:5432');
        expect(r.stdout).toContain('https://admin:<redacted>@os');
      }
    });

    it('a kubeconfig server URL with user:password: LAUNCH-API-ERROR names the server, masked', async () => {
      const env = { KUBECONFIG: kubeconfig(`https://admin:${CANARY}@127.0.0.1:1`), HOME: kubeDir };
      for (const output of ['json', 'text']) {
        const r = await spawnCli(['run', '-n', 'ns', '-s', 'sa', '-o', output, '--timeout', '10'], {
          ...env,
          NO_COLOR: '1',
        });
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain(CANARY);
        expect(r.stderr).not.toMatch(STACK_TRACE);
        if (output === 'json') expect(codeStatus(reportOf(r), 'LAUNCH-API-ERROR')).toBe('fail');
        else expect(r.stdout).toContain('https://admin:<redacted>@127.0.0.1:1');
      }
    });

    it('an agent flag the launcher refuses names the value masked; one only the agent refuses reaches the log, masked', async () => {
      const runtime = await eksPodRuntime(stack, CLI);
      const api = await startKubeApi({ ca: stack.ca, kubelet: { runtime } });
      try {
        api.addNamespace('camunda');
        api.addServiceAccount('camunda', 'zeebe-sa', { 'eks.amazonaws.com/role-arn': stack.roleArn });
        const env = { KUBECONFIG: api.writeKubeconfig(kubeDir), HOME: kubeDir };
        const base = ['run', '-n', 'camunda', '-s', 'zeebe-sa', '-o', 'json', '--'];
        // The agent's own flag table is checked before the Job exists: exit 2, nothing created.
        const refused = await spawnCli([...base, '--timeout', `http://admin:${CANARY}@x`], env);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('admin:<redacted>@x');
        expect(refused.stdout + refused.stderr).not.toContain(CANARY);
        expect(api.requests.some((q) => q.verb === 'create')).toBe(false);
        // Check ids are the agent's registry's to know: its usage error comes back in the log.
        const r = await spawnCli([...base, '--only', `http://admin:${CANARY}@x`], env);
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain(CANARY);
        const report = reportOf(r);
        expect(codeStatus(report, 'LAUNCH-NO-REPORT')).toBe('fail');
        const f = findingsOf(report).find((x) => x.code === 'LAUNCH-NO-REPORT');
        expect((f?.details?.logTail as string[]).join('\n')).toContain('admin:<redacted>@x');
      } finally {
        await api.close();
      }
    });
  });
});

describe('a closed or full stdout ends the program with one status and no stack trace', () => {
  // A report of about 600 KB: an AWS_ROLE_ARN of 100 KB is quoted several times.
  const bigEnv = () => ({
    HOME: dir,
    AWS_REGION: 'eu-west-1',
    AWS_ROLE_ARN: `arn:aws:iam::111122223333:role/${'role-'.repeat(20_000)}`,
    AWS_WEB_IDENTITY_TOKEN_FILE: file('not a token'),
  });
  const commands: Array<[string, string[], () => Record<string, string>]> = [
    ['version', ['version'], () => ({})],
    ['help', ['help'], () => ({})],
    ['check --list', ['check', '--list'], () => ({})],
    ['check -o json (600 KB)', ['check', '-o', 'json', '--only', 'env,role-arn'], bigEnv],
    ['check -o text (600 KB)', ['check', '-o', 'text', '--only', 'env,role-arn'], bigEnv],
    ['run --dry-run', ['run', '-n', 'ns', '-s', 'sa', '--dry-run', '-o', 'yaml'], () => ({ HOME: dir })],
  ];

  it.each(
    commands,
  )('%s into a pipe closed before it writes: status 141, nothing on stderr', async (_, args, env) => {
    // The read end is closed as soon as the child exists, long before it has started up and writes.
    const r = await spawnCli(args, env(), 'pipe', undefined, (child) => child.stdout?.destroy());
    expect(r.code).toBe(141);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
  });

  it('a 600 KB report into a reader that takes 10 bytes and goes (`| head -c 10`): 141, quietly', async () => {
    let taken = '';
    const r = await spawnCli(
      ['check', '-o', 'json', '--only', 'env,role-arn'],
      bigEnv(),
      'pipe',
      (child, d) => {
        if (taken.length >= 10) return;
        taken += d.subarray(0, 10 - taken.length).toString();
        child.stdout?.destroy();
      },
    );
    expect(taken).toBe('{\n  "schem');
    expect(r.code).toBe(141);
    expect(r.stderr).toBe('');
  });

  it.each(commands)('%s with stdout on /dev/full: one line on stderr, status 1', async (_, args, env) => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await spawnCli(args, env(), full);
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^irsa-doctor( [a-z]+)?: cannot write to standard output: ENOSPC/);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    } finally {
      closeSync(full);
    }
  });
});

describe('config files that are not files: a finding, never handed to the SDK, never a hang', () => {
  const TIMEOUT_S = 6;
  async function check(extra: Record<string, string>, omit: string[] = []) {
    const env = { ...(await stack.podEnv({ omit })), ...extra };
    const r = await spawnCli(
      ['check', '-o', 'json', '--only', 'env,sts,identity,chain', '--timeout', String(TIMEOUT_S)],
      env,
    );
    // The SDK ran (STS answered the chain) and the run ended well before its deadline.
    expect(runMs(r)).toBeLessThan(TIMEOUT_S * 1000 + 1000);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    return { r, report: reportOf(r) };
  }

  it('AWS_CONFIG_FILE is a FIFO nobody writes: ENV-CONFIG-FILE-UNUSABLE fail, the SDK still works', async () => {
    const { r, report } = await check({ AWS_CONFIG_FILE: fifo() });
    expect(codeStatus(report, 'ENV-CONFIG-FILE-UNUSABLE')).toBe('fail');
    expect(codeStatus(report, 'STS-OK')).toBe('pass');
    expect(codeStatus(report, 'CHAIN-SOURCE')).toBe('info');
    expect(r.code).toBe(1);
    expect(runMs(r)).toBeLessThan(TIMEOUT_S * 1000);
    const f = findingsOf(report).find((x) => x.code === 'ENV-CONFIG-FILE-UNUSABLE');
    expect(f?.details).toMatchObject({ variable: 'AWS_CONFIG_FILE', problem: 'fifo' });
    expect(f?.remediation).toContain('AWS_CONFIG_FILE-');
  });

  it('AWS_SHARED_CREDENTIALS_FILE is a FIFO: the same', async () => {
    const { r, report } = await check({ AWS_SHARED_CREDENTIALS_FILE: fifo() });
    expect(codeStatus(report, 'ENV-CONFIG-FILE-UNUSABLE')).toBe('fail');
    expect(codeStatus(report, 'STS-OK')).toBe('pass');
    expect(r.code).toBe(1);
    expect(runMs(r)).toBeLessThan(TIMEOUT_S * 1000);
  });

  it('AWS_CONFIG_FILE=/dev/zero: a finding, not 600 MB and exit 0', async () => {
    const { r, report } = await check({ AWS_CONFIG_FILE: '/dev/zero' });
    expect(codeStatus(report, 'ENV-CONFIG-FILE-UNUSABLE')).toBe('fail');
    expect(findingsOf(report).find((x) => x.code === 'ENV-CONFIG-FILE-UNUSABLE')?.details?.problem).toBe(
      'device',
    );
    expect(r.code).toBe(1);
    expect(runMs(r)).toBeLessThan(TIMEOUT_S * 1000);
  });

  it('~/.aws/config itself is a FIFO (no variable): the fix names the path', async () => {
    const home = join(dir, `home${++files}`);
    mkdirSync(join(home, '.aws'), { recursive: true });
    fifo(join(home, '.aws', 'config'));
    const { report } = await check({ HOME: home }, ['AWS_CONFIG_FILE']);
    const f = findingsOf(report).find((x) => x.code === 'ENV-CONFIG-FILE-UNUSABLE');
    expect(f?.status).toBe('fail');
    expect(f?.details).toEqual({ path: join(home, '.aws', 'config'), problem: 'fifo' });
    expect(f?.remediation).toContain(join(home, '.aws', 'config'));
  });

  it('a directory (a ConfigMap mounted without subPath) and a file over 1 MiB warn', async () => {
    const big = file(`[default]\nregion = eu-west-1\n${'# padding\n'.repeat(120_000)}`);
    const { report } = await check({ AWS_CONFIG_FILE: dir, AWS_SHARED_CREDENTIALS_FILE: big });
    const found = findingsOf(report).filter((x) => x.code === 'ENV-CONFIG-FILE-UNUSABLE');
    expect(found.map((f) => [f.details?.problem, f.status])).toEqual([
      ['directory', 'warn'],
      ['too-large', 'warn'],
    ]);
    expect(codeStatus(report, 'STS-OK')).toBe('pass');
  });

  it('AWS_CONFIG_FILE=/dev/null (the usual "no config") is no finding', async () => {
    const { r, report } = await check({ AWS_CONFIG_FILE: '/dev/null' });
    expect(codeStatus(report, 'ENV-CONFIG-FILE-UNUSABLE')).toBeUndefined();
    expect(r.code).toBe(0);
  });

  it('a FIFO as the pod namespace file is never opened blocking: the run does not wait for it', async () => {
    const saDir = join(dir, `sa${++files}`);
    mkdirSync(saDir);
    fifo(join(saDir, 'namespace'));
    const env = { ...(await stack.podEnv()), IRSA_DOCTOR_SA_DIR: saDir };
    const r = await spawnCli(
      ['check', '-o', 'json', '--only', 'env,role-arn,token-claims', '--timeout', '10'],
      env,
    );
    // Well before the deadline: nothing waited on the FIFO.
    expect(runMs(r)).toBeLessThan(5000);
    expect(r.signal).toBeNull();
    expect(reportOf(r).checks.map((c) => c.id)).toEqual(['env', 'role-arn', 'token-claims']);
    expect(reportOf(r).checks.every((c) => c.status !== 'error')).toBe(true);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('anything else stuck in the file system (a worker blocked in open()): the report is printed and the run still ends', async () => {
    const stuck = join(dir, `stuck${++files}`);
    fifo(stuck);
    const env = {
      ...(await stack.podEnv()),
      NODE_OPTIONS: `--import=${STUCK_FS_PRELOAD}`,
      IRSA_TEST_STUCK_FIFO: stuck,
    };
    const r = await spawnCli(
      ['check', '-o', 'json', '--only', 'env,role-arn,token-claims', '--timeout', '3'],
      env,
    );
    // The report is printed (what the run has) and the process exits, although a worker thread is
    // still blocked in open().
    expect(runMs(r)).toBeLessThan(3000 + 1000);
    expect(r.signal).toBeNull();
    expect(reportOf(r).checks.map((c) => c.id)).toEqual(['env', 'role-arn', 'token-claims']);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('control characters from tokens, variables and servers reach a terminal escaped', () => {
  const TITLE = '\x1b]0;pwned\x07';
  const CLEAR = '\x1b[2J';
  const FAKE = '\r  PASS  STS-OK  all checks pass';
  const HOSTILE = `${TITLE}${CLEAR}${FAKE}`;
  let sts: Peer;
  beforeAll(async () => {
    sts = await startAltSts({
      assume: () => stsError(400, 'InvalidIdentityToken', `bad token ${TITLE} ${CLEAR} ${FAKE}`),
    });
  });
  afterAll(() => sts?.close());

  /** Only the renderer's own colour sequences, its own line breaks, nothing else. */
  function expectTerminalSafe(text: string, color: boolean) {
    const stripped = color ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
    expect(stripped).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).not.toMatch(/^\s*PASS\s+STS-OK\s+all checks pass/m);
  }

  function hostileToken(): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return [
      b64({ alg: 'RS256', kid: `k${TITLE}` }),
      b64({
        iss: `https://oidc.example/id/X${CLEAR}`,
        sub: `system:serviceaccount:camunda:zeebe-sa${HOSTILE}`,
        aud: [`sts.amazonaws.com${TITLE}`],
        exp: now + 3600,
        iat: now,
        'kubernetes.io': { namespace: `camunda${FAKE}`, serviceaccount: { name: `zeebe-sa${TITLE}` } },
      }),
      'c2lnbmF0dXJlLW5vdC1jaGVja2Vk',
    ].join('.');
  }

  it.each([false, true])('token claims (colour %s): escaped, and no fake PASS line', async (color) => {
    const env = {
      ...(await stack.podEnv()),
      AWS_WEB_IDENTITY_TOKEN_FILE: file(hostileToken()),
      ...(color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }),
    };
    const r = await spawnCli(['check', '-o', 'text', '--only', 'env,role-arn,token-file,token-claims'], env);
    expect(r.code).toBe(1);
    expectTerminalSafe(r.stdout, color);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('AWS_ROLE_ARN: ARN-INVALID, its fix fills the ARN in without adding a line', async () => {
    const env = {
      ...(await stack.podEnv({ roleArn: `arn:aws:iam::111122223333:role/x${HOSTILE}` })),
      NO_COLOR: '1',
    };
    const text = await spawnCli(['check', '-o', 'text', '--only', 'env,role-arn'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('ARN-INVALID');
    expectTerminalSafe(text.stdout, false);
    expect(text.stdout).toContain('role/x\\x1b]0;pwned\\x07\\x1b[2J\\r  PASS  STS-OK');
    const json = await spawnCli(['check', '-o', 'json', '--only', 'env,role-arn'], env);
    // JSON stays JSON: it escapes control characters itself, and parses back to the exact value.
    expect(json.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    const report = reportOf(json);
    expect(report.context.roleArn).toBe(`arn:aws:iam::111122223333:role/x${HOSTILE}`.trim());
    expect(codeStatus(report, 'ARN-INVALID')).toBe('fail');
  });

  it('a server-controlled STS error message: STS-INVALID-TOKEN, escaped in text', async () => {
    const env = { ...(await stack.podEnv()), AWS_ENDPOINT_URL_STS: sts.url, NO_COLOR: '1' };
    const text = await spawnCli(['check', '-o', 'text', '--only', 'env,sts,chain'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('STS-INVALID-TOKEN');
    expect(text.stdout).toContain('\\x1b]0;pwned\\x07');
    expectTerminalSafe(text.stdout, false);
    const json = await spawnCli(['check', '-o', 'json', '--only', 'env,sts,chain'], env);
    const report = reportOf(json);
    expect(codeStatus(report, 'STS-INVALID-TOKEN')).toBe('fail');
    expect(codeStatus(report, 'CHAIN-FAILED')).toBe('fail');
    expect(findingsOf(report).find((f) => f.code === 'STS-INVALID-TOKEN')?.message).toContain(TITLE);
  });

  it('stderr too: a usage error quoting a hostile flag shows it escaped', async () => {
    const r = await spawnCli(['check', `--bogus${CLEAR}${FAKE}`], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus\\x1b[2J\\r  PASS');
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
