// `irsa-doctor run` with a kubeconfig whose user gets its token from an exec credential plugin, as
// every `aws eks update-kubeconfig` kubeconfig does. The plugin is a small node script named `aws`:
// it answers, fails as an expired SSO session does, prints garbage, or hangs. Each failure is named
// (the command, the first stderr line), exits 2 before any API call, and leaves no process behind.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KUBE_PEER, type KubePeer, startKubePeer } from '../peers/kube-api.js';
import { type LauncherRun, runLauncher, startLauncher } from '../support/run-launcher.js';

const { namespace: NS, serviceAccount: SA, token: TOKEN } = KUBE_PEER;
const ARGS = ['eks', 'get-token', '--cluster-name', 'prod', '--output', 'json'];

// FAKE_ACT picks what it does; every run appends a line to $RUNS.
const FAKE_AWS = `#!${process.execPath}
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
appendFileSync(process.env.RUNS, 'ran\\n');
switch (process.env.FAKE_ACT) {
  case 'token':
    process.stdout.write(JSON.stringify({
      kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: {},
      status: { token: process.env.TOKEN, expirationTimestamp: new Date(Date.now() + 900e3).toISOString() },
    }));
    break;
  case 'sso-expired':
    process.stderr.write('\\n\\x1b[31mError when retrieving token from sso: Token has expired and refresh failed\\x1b[0m\\n');
    process.exit(255);
  case 'garbage':
    process.stdout.write('<html>aws: [ERROR]: not what kubectl wants ' + process.env.TOKEN + '</html>\\n');
    break;
  case 'hang': {
    const g = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(process.env.PIDS, JSON.stringify([process.pid, g.pid]));
    process.stderr.write('Waiting for the browser login to complete...\\n');
    setInterval(() => {}, 1000);
    break;
  }
}
`;

let dir: string;
let bin: string;
let peer: KubePeer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-exec-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'aws'), FAKE_AWS);
  chmodSync(join(bin, 'aws'), 0o755);
  peer = await startKubePeer();
});
afterAll(async () => {
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  peer.requests.length = 0;
});

let n = 0;
/** A kubeconfig for the peer whose user runs `command` (the fake aws unless said otherwise). */
function kubeconfig(act: string, command = join(bin, 'aws')): { file: string; runs: string; pids: string } {
  n++;
  const runs = join(dir, `runs-${n}`);
  const pids = join(dir, `pids-${n}.json`);
  const file = join(dir, `kubeconfig-${n}.yaml`);
  const peerConfig = JSON.parse(readFileSync(peer.writeKubeconfig(dir, `peer-${n}.json`), 'utf8')) as {
    clusters: unknown[];
  };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: peerConfig.clusters,
      users: [
        {
          name: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command,
              args: ARGS,
              env: [
                { name: 'FAKE_ACT', value: act },
                { name: 'RUNS', value: runs },
                { name: 'PIDS', value: pids },
                { name: 'TOKEN', value: TOKEN },
              ],
              interactiveMode: 'IfAvailable',
            },
          },
        },
      ],
      contexts: [
        {
          name: 'prod',
          context: { cluster: 'alt', user: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod' },
        },
      ],
      'current-context': 'prod',
    }),
  );
  return { file, runs, pids };
}

const runArgs = (file: string, timeout = 20) => [
  '-n',
  NS,
  '-s',
  SA,
  '--kubeconfig',
  file,
  '-o',
  'json',
  '--timeout',
  String(timeout),
];
// Not the machine's PATH: `aws` must be only what the kubeconfig names (or nothing at all).
const ENV = { HOME: '/nonexistent', PATH: '/usr/bin:/bin' };

function runsOf(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** A plugin failure: exit 2, no report, the named command and what it said, no API call. */
function expectConfigError(r: LauncherRun, said: RegExp, fix: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const [first, second] = r.stderr.split('\n');
  expect(first).toMatch(
    new RegExp(
      `^irsa-doctor run: the kubeconfig's exec plugin \`${bin}/aws eks get-token --cluster-name prod --output json\` \\(user "arn:aws:eks:eu-west-1:111122223333:cluster/prod" in .*kubeconfig-\\d+\\.yaml\\) `,
    ),
  );
  expect(first).toMatch(said);
  expect(second).toMatch(fix);
  expect(r.stderr).not.toContain(TOKEN);
  expect(peer.requests).toEqual([]);
}

/** Whether pid is a live process (a zombie awaiting its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(pred: () => boolean, withinMs = 10_000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('irsa-doctor run with an exec credential plugin', () => {
  it('answering: its token is sent, it runs once for the whole run, and never shows', async () => {
    const k = kubeconfig('token');
    const r = await runLauncher(runArgs(k.file), { env: ENV });
    expect(r.code).toBe(0);
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expect(peer.requests.length).toBeGreaterThan(5);
    expect(peer.requests.every((q) => q.authorized)).toBe(true);
    expect(runsOf(k.runs)).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('missing (aws not installed): named, with the AWS CLI to install, exit 2', async () => {
    const k = kubeconfig('token', 'aws');
    const r = await runLauncher(runArgs(k.file), { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^irsa-doctor run: the kubeconfig's exec plugin `aws eks get-token --cluster-name prod --output json` \(user "[^"]+" in [^)]+\) cannot be run: `aws` is not installed or not on PATH\nFix: install the AWS CLI v2/,
    );
    expect(peer.requests).toEqual([]);
  });

  it('exit 255 with an expired SSO session on stderr: its first line, escaped, and aws sso login as the fix', async () => {
    const k = kubeconfig('sso-expired');
    const r = await runLauncher(runArgs(k.file), { env: ENV });
    expectConfigError(
      r,
      /exited 255: Error when retrieving token from sso: Token has expired and refresh failed$/,
      /^Fix: aws sso login \(the AWS SSO session has expired\), then run again$/,
    );
    expect(r.stderr).not.toContain('\x1b');
  });

  it('garbage on stdout: no usable ExecCredential, and the output (which may hold a token) is not quoted', async () => {
    const k = kubeconfig('garbage');
    const r = await runLauncher(runArgs(k.file), { env: ENV });
    expectConfigError(
      r,
      /printed no usable ExecCredential: stdout is not JSON \(\d+ bytes\)$/,
      /^Fix: run `.*aws eks get-token .*` yourself to see its whole output; it must print one client\.authentication\.k8s\.io ExecCredential/,
    );
  });

  it('hanging: stopped at --timeout with everything it started, exit 2 within --timeout + 1 s', async () => {
    const k = kubeconfig('hang');
    const r = await runLauncher(runArgs(k.file, 3), { env: ENV });
    const exitedAt = Date.now();
    expectConfigError(
      r,
      /did not finish within \d(\.\d)? s and was stopped \(stderr: Waiting for the browser login to complete\.\.\.\)$/,
      /^Fix: run `.*` yourself to see its whole output: it may be waiting for input/,
    );
    // Counted from the plugin's start (its pid file), so loading the launcher on a busy machine
    // does not count: the run's clock started before it.
    expect(exitedAt - statSync(k.pids).mtimeMs).toBeLessThan(4000);
    const pids = JSON.parse(readFileSync(k.pids, 'utf8')) as number[];
    expect(pids).toHaveLength(2);
    // The grandchild ignores SIGTERM: it goes with the plugin's process group all the same.
    await until(() => pids.every((p) => !alive(p)), 2000);
  });

  it('hanging, then Ctrl-C: the plugin and its children are stopped, exit 130 at once', async () => {
    const k = kubeconfig('hang');
    const { child, done } = startLauncher(runArgs(k.file, 60), { env: ENV });
    await until(() => existsSync(k.pids) && readFileSync(k.pids, 'utf8').length > 0);
    const pids = JSON.parse(readFileSync(k.pids, 'utf8')) as number[];
    const t0 = performance.now();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('SIGINT received');
    expect(peer.requests).toEqual([]);
    await until(() => pids.every((p) => !alive(p)), 2000);
  });
});
