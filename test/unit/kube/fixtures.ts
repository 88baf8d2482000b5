// Shared by the src/kube tests: temp kubeconfigs, a fake exec plugin, and a liveness probe for pids.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExecPlugin } from '../../../src/kube/exec-credential.js';

export function tempDir(prefix = 'irsa-doctor-kube-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes text to dir/name (creating parents) and returns the path. */
export function put(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** An environment with nothing kubectl would look at, except what the test gives it. */
export function cleanEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: join(dir, 'home-without-kube'), PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

/**
 * One node script that plays every plugin the tests need; its first argument picks the act.
 *   token V          print a VERSION ExecCredential with a token (apiVersion from $API, expiry from $EXPIRES)
 *   cert             print one with the client certificate and key in $CERT / $KEY
 *   fail             print an AWS CLI SSO error on stderr (after an empty line, in colour) and exit 255
 *   garbage          print a non-JSON line that holds a token-like value
 *   wrong-version    print a v1alpha1 ExecCredential
 *   hang PIDFILE     start a grandchild that ignores SIGTERM, write both pids, and wait forever
 *   fail-once FILE   exit 1 if FILE does not exist (creating it), else act as `token`
 *   count FILE       append a line to FILE, then act as `token`
 *   info FILE        write $KUBERNETES_EXEC_INFO to FILE, then act as `token`
 */
export const FAKE_PLUGIN = `
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
const [act, arg] = process.argv.slice(2);
const api = process.env.API ?? 'client.authentication.k8s.io/v1beta1';
const status = { token: process.env.TOKEN ?? 'k8s-aws-v1.fake-token-for-tests' };
if (process.env.EXPIRES) status.expirationTimestamp = process.env.EXPIRES;
const print = (s, v = api) => process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: v, spec: {}, status: s }));
switch (act) {
  case 'token': print(status); break;
  case 'cert': print({ clientCertificateData: process.env.CERT, clientKeyData: process.env.KEY }); break;
  case 'fail':
    process.stderr.write('\\n\\x1b[31mError when retrieving token from sso: Token has expired and refresh failed\\x1b[0m\\nsecond line\\n');
    process.exit(255);
  case 'garbage': process.stdout.write('token=abcdefgh12345678 not json\\n'); break;
  case 'wrong-version': print(status, 'client.authentication.k8s.io/v1alpha1'); break;
  case 'hang': {
    const g = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(arg, JSON.stringify({ plugin: process.pid, grandchild: g.pid }));
    process.stderr.write('waiting for the browser login\\n');
    setInterval(() => {}, 1000);
    break;
  }
  case 'fail-once':
    if (!existsSync(arg)) { writeFileSync(arg, 'failed once'); process.stderr.write('boom\\n'); process.exit(1); }
    print(status); break;
  case 'count': appendFileSync(arg, 'ran\\n'); print(status); break;
  case 'info': writeFileSync(arg, process.env.KUBERNETES_EXEC_INFO ?? ''); print(status); break;
  default: process.exit(3);
}
`;

export function writeFakePlugin(dir: string): string {
  return put(dir, 'fake-plugin.mjs', FAKE_PLUGIN);
}

/** An ExecPlugin running the fake plugin with `act`, as the loader would produce it. */
export function fakeExec(script: string, act: string[], over: Partial<ExecPlugin> = {}): ExecPlugin {
  return {
    command: process.execPath,
    args: [script, ...act],
    env: [],
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    interactiveMode: 'IfAvailable',
    provideClusterInfo: false,
    installHint: '',
    cluster: { server: 'https://api.example' },
    user: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
    file: '/home/me/.kube/config',
    ...over,
  };
}

/** Whether pid is a live process; a zombie waiting for its reaper counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // "pid (comm) S ..." : the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until none of the pids is alive, or the time is up; returns the ones still alive. */
export async function survivors(pids: number[], withinMs = 3000): Promise<number[]> {
  const end = Date.now() + withinMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
