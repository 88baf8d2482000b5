// `npm run docs:examples`: the text a person sees, captured into docs/examples/ for the README. Starts
// the loopback EKS (issuer, STS, IMDS, a Kubernetes API whose kubelet runs the agent) and runs the real
// CLI's `run` for a healthy ServiceAccount, a broken one and a sweep of both, at 80 and 160 columns.
// With tmux installed, each runs on a real terminal of that size (a detached tmux pane, so the CLI
// sees a TTY, colours and the progress line included) and the pane is captured as plain text; without
// it, the output is piped with COLUMNS and NO_COLOR set. Times and pod names differ from run to run.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEksStack } from '../test/harness/eks-stack.js';
import { startKubeApi } from '../test/harness/kube-api.js';
import { eksPodRuntime } from '../test/harness/kubelet-eks.js';

const OUT = 'docs/examples';
const WIDTHS = [80, 160];
const CLI = resolve('dist/irsa-doctor.mjs');
const NS = 'camunda';
const SA = 'zeebe-sa';

const stack = await startEksStack();
const api = await startKubeApi({ ca: stack.ca, kubelet: { runtime: await eksPodRuntime(stack, CLI) } });
const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-examples-'));
const kubeconfig = api.writeKubeconfig(dir);
api.addNamespace(NS);
api.addServiceAccount(NS, SA, { 'eks.amazonaws.com/role-arn': stack.roleArn });
// Annotated with the same role, whose trust policy admits only zeebe-sa: STS refuses operate-sa.
api.addServiceAccount(NS, 'operate-sa', { 'eks.amazonaws.com/role-arn': stack.roleArn });
// An annotation with an extra colon, caught before any Job is created.
api.addServiceAccount(NS, 'tasklist-sa', {
  'eks.amazonaws.com/role-arn': stack.roleArn.replace('iam::', 'iam:::'),
});

const examples: Array<{ name: string; title: string; args: string[] }> = [
  { name: 'healthy', title: 'a healthy ServiceAccount', args: ['run', '-n', NS, '-s', SA] },
  {
    name: 'broken',
    title: "a ServiceAccount the role's trust policy does not admit",
    args: ['run', '-n', NS, '-s', 'operate-sa'],
  },
  { name: 'sweep', title: 'every annotated ServiceAccount of a namespace', args: ['run', '--all', '-n', NS] },
];

const TMUX = hasTmux();
let failed = false;
try {
  mkdirSync(OUT, { recursive: true });
  for (const e of examples)
    for (const width of WIDTHS) {
      const r = TMUX ? await onTerminal(e.args, width) : await piped(e.args, width);
      if (r.code === null || r.code > 1 || r.stdout === '') {
        process.stderr.write(`${e.name} at ${width}: exit ${r.code}\n${r.stderr}\n${r.stdout}\n`);
        failed = true;
        continue;
      }
      const file = `${OUT}/${e.name}-${width}.txt`;
      writeFileSync(file, `$ irsa-doctor ${e.args.join(' ')}\n${plain(r.stdout)}`);
      process.stdout.write(`${file}: ${e.title}, exit ${r.code}${TMUX ? ' (tmux)' : ' (piped)'}\n`);
    }
} finally {
  await api.close();
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** The output as a file shows it: no escape sequences, even if one slipped through. */
function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

function piped(
  args: string[],
  width: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '-o', 'text'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        KUBECONFIG: kubeconfig,
        NO_COLOR: '1',
        COLUMNS: String(width),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The CLI on a detached tmux pane of `width` columns (its own tmux server, killed after), in a clean
 * environment; the pane's whole history is the capture, as the person at that terminal saw it.
 */
async function onTerminal(
  args: string[],
  width: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const socket = `irsa-doctor-examples-${process.pid}`;
  const codeFile = join(dir, 'exit-code');
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [
    'env -i',
    `PATH=${quote(process.env.PATH ?? '')}`,
    `HOME=${quote(dir)}`,
    `KUBECONFIG=${quote(kubeconfig)}`,
    'TERM=xterm-256color',
    quote(process.execPath),
    quote(CLI),
    ...args.map(quote),
    `; echo $? > ${quote(codeFile)}; tmux -L ${socket} wait-for -S done; sleep 60`,
  ].join(' ');
  // Asynchronous: the Kubernetes API and the kubelet the CLI talks to run in this process.
  const tmux = async (...a: string[]) =>
    (await promisify(execFile)('tmux', ['-L', socket, ...a], { encoding: 'utf8' })).stdout;
  try {
    await tmux('new-session', '-d', '-x', String(width), '-y', '50', command);
    await tmux('wait-for', 'done');
    const screen = await tmux('capture-pane', '-p', '-S', '-', '-E', '-');
    return {
      code: Number(readFileSync(codeFile, 'utf8').trim()),
      stdout: `${screen.replace(/\s+$/, '')}\n`,
      stderr: '',
    };
  } finally {
    try {
      await tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
