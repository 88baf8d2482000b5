import { createPrivateKey, X509Certificate } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import { registerSecret } from '../lib/redact.js';
import { firstPrintableLine, printable } from './printable-line.js';
import { spawnBounded } from './spawn-bounded.js';

export const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];
export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** What client-go hands the plugin as spec.cluster when provideClusterInfo is set. */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** base64 of the PEM, read from certificate-authority when the kubeconfig names a file */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  /** the cluster's client.authentication.k8s.io/exec extension */
  config?: unknown;
}

/** A kubeconfig user's exec plugin, validated and resolved (command path, interactiveMode default). */
export interface ExecPlugin {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: ExecApiVersion;
  interactiveMode: InteractiveMode;
  provideClusterInfo: boolean;
  installHint: string;
  cluster: ExecClusterInfo;
  /** The kubeconfig user that declares the plugin and its file, for messages. */
  user: string;
  file: string;
}

/**
 * aws eks get-token answers in a second or two, even when it refreshes an SSO token; a plugin that
 * takes longer is almost always waiting for input that will not come. The run's signal still
 * ends it sooner.
 */
export const EXEC_PLUGIN_MS = 30_000;
/** An ExecCredential is a few KiB (a token, or a certificate and key). */
export const MAX_EXEC_STDOUT_BYTES = 256 * 1024;
const MAX_EXEC_STDERR_BYTES = 16 * 1024;

export interface ExecRunOptions {
  /** The run's signal: an interrupted run stops the plugin and everything it started. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Whether stdin is a terminal (kubectl's test for interactiveMode); default process.stdin.isTTY. */
  stdinIsTerminal?: boolean;
  /** Where an interactive plugin's prompts go (stderr, copied live); default process.stderr. */
  promptTo?: NodeJS.WritableStream;
  /** The environment the plugin inherits; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  killGraceMs?: number;
}

export type ExecFailureKind =
  /** the command does not exist (or is not on PATH) */
  | 'not-found'
  /** it ran and exited non-zero, was killed by a signal, or could not be started */
  | 'failed'
  /** it exited 0 but stdout is not a usable ExecCredential */
  | 'garbage'
  /** it did not finish within the deadline and was stopped */
  | 'timeout'
  /** the run was interrupted (SIGINT/SIGTERM) while it ran; it was stopped */
  | 'interrupted'
  /** interactiveMode Always, but stdin is not a terminal (kubectl refuses to run it too) */
  | 'needs-terminal';

export interface ExecSuccess {
  ok: true;
  /** Bearer token; registered as a secret. */
  token?: string;
  /** PEM client certificate and key; the key is registered as a secret. */
  clientCertificate?: { cert: string; key: string };
  /** Epoch ms of status.expirationTimestamp; absent = valid for the process's lifetime. */
  expiresAt?: number;
}

export interface ExecFailure {
  ok: false;
  kind: ExecFailureKind;
  /** The command line as the kubeconfig gives it, printable and secret-free. */
  command: string;
  exitCode?: number;
  /** The signal that killed it, when it died of one it was not sent by us. */
  signal?: string;
  /** First non-blank stderr line: escape sequences dropped, control characters escaped, secrets redacted. */
  stderrFirstLine?: string;
  /** What was wrong with the output (garbage), or the errno that kept it from starting. */
  detail?: string;
  /** One sentence naming the plugin, for the user. */
  message: string;
  /** The change that fixes it, when there is one to name. */
  fix?: string;
}

export type ExecOutcome = ExecSuccess | ExecFailure;

/**
 * Runs a kubeconfig exec credential plugin the way client-go does (environment plus the plugin's
 * env plus KUBERNETES_EXEC_INFO; stdin only when interactive), but bounded: a deadline, the run's
 * abort signal, capped output, and the whole process group stopped on either. Every outcome is a
 * value; none throws.
 */
export async function runExecPlugin(plugin: ExecPlugin, opts: ExecRunOptions = {}): Promise<ExecOutcome> {
  const command = commandLine(plugin);
  const fail = (kind: ExecFailureKind, extra: Partial<ExecFailure> = {}): ExecFailure =>
    describe(plugin, { ok: false, kind, command, message: '', ...extra });
  if (opts.signal?.aborted) return fail('interrupted');
  const terminal = opts.stdinIsTerminal ?? process.stdin.isTTY === true;
  if (plugin.interactiveMode === 'Always' && !terminal) return fail('needs-terminal');
  const interactive =
    plugin.interactiveMode === 'Always' || (plugin.interactiveMode === 'IfAvailable' && terminal);

  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  for (const e of plugin.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: plugin.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive, ...(plugin.provideClusterInfo ? { cluster: plugin.cluster } : {}) },
  });
  const timeoutMs = opts.timeoutMs ?? EXEC_PLUGIN_MS;
  const run = await spawnBounded({
    command: plugin.command,
    args: plugin.args,
    env,
    interactive,
    promptTo: opts.promptTo ?? process.stderr,
    timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    killGraceMs: opts.killGraceMs ?? 1000,
    maxStdoutBytes: MAX_EXEC_STDOUT_BYTES,
    maxStderrBytes: MAX_EXEC_STDERR_BYTES,
  });

  if (run.end === 'spawn-error') {
    return run.errno === 'ENOENT' ? fail('not-found') : fail('failed', { detail: run.errno });
  }
  const stderrFirstLine = firstPrintableLine(run.stderr);
  const seen = { ...(stderrFirstLine ? { stderrFirstLine } : {}) };
  const hints = fixFromStderr(run.stderr, plugin, opts.env ?? process.env);
  switch (run.end) {
    case 'timeout':
      return fail('timeout', { ...seen, detail: `${Math.round(timeoutMs / 100) / 10} s` });
    case 'interrupted':
      return fail('interrupted', seen);
    case 'stdout-overflow':
      return fail('garbage', { ...seen, detail: `it printed more than ${MAX_EXEC_STDOUT_BYTES / 1024} KiB` });
  }
  if (run.code !== 0) {
    return fail('failed', {
      ...seen,
      ...(run.code !== null ? { exitCode: run.code } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
      ...(hints ? { fix: hints } : {}),
    });
  }
  const parsed = parseExecCredential(run.stdout, plugin.apiVersion);
  if (typeof parsed === 'string') return fail('garbage', { ...seen, detail: parsed });
  return parsed;
}

/** The command line for messages: shell-quoted where needed, printable, redacted. */
export function commandLine(plugin: Pick<ExecPlugin, 'command' | 'args'>): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return printable([plugin.command, ...plugin.args].map(quote).join(' '));
}

/**
 * client-go's checks on the plugin's answer: the same apiVersion as the kubeconfig asked for, a
 * status, a token or a certificate and key (both or neither), and a parseable expiry. Returns what
 * is wrong as text; that text never quotes stdout, which may hold the credential.
 */
function parseExecCredential(stdout: Buffer, apiVersion: ExecApiVersion): ExecSuccess | string {
  const text = stdout.toString('utf8');
  if (text.trim() === '') return 'it printed nothing on stdout';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: say only what kind of thing it was.
    return `stdout is not JSON (${stdout.length} bytes${/^\s*[{[]/.test(text) ? ', cut short or malformed' : ''})`;
  }
  if (!isObj(doc)) return 'stdout is JSON but not an object';
  if (doc.kind !== 'ExecCredential')
    return `stdout is not an ExecCredential (kind ${JSON.stringify(printable(String(doc.kind ?? ''), 60))})`;
  if (doc.apiVersion !== apiVersion) {
    return `it answered apiVersion ${printable(String(doc.apiVersion ?? '(none)'), 80)}, the kubeconfig asks for ${apiVersion}`;
  }
  const status = doc.status;
  if (!isObj(status)) return 'the ExecCredential has no status';
  const token = optionalString(status.token);
  const cert = optionalString(status.clientCertificateData);
  const key = optionalString(status.clientKeyData);
  if (token === null || cert === null || key === null)
    return 'status.token, clientCertificateData and clientKeyData must be strings';
  if (!token && !cert && !key)
    return 'the ExecCredential has neither status.token nor a client certificate and key';
  if (!cert !== !key)
    return 'the ExecCredential has a client certificate without its key, or a key without its certificate';
  let expiresAt: number | undefined;
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    const t =
      typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
    if (Number.isNaN(t)) return 'status.expirationTimestamp is not an RFC 3339 time';
    expiresAt = t;
  }
  if (token) registerSecret(token);
  if (key) registerSecret(key);
  if (cert && key) {
    try {
      new X509Certificate(cert);
      createPrivateKey(key);
    } catch {
      return 'status.clientCertificateData or clientKeyData is not a PEM certificate or key';
    }
  }
  return {
    ok: true,
    ...(token ? { token } : {}),
    ...(cert && key ? { clientCertificate: { cert, key } } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

/** Fills in message and fix. */
function describe(plugin: ExecPlugin, f: ExecFailure): ExecFailure {
  const who = `the kubeconfig's exec plugin \`${f.command}\` (user "${printable(plugin.user, 120)}" in ${plugin.file})`;
  const rerun = `run \`${f.command}\` yourself to see its whole output`;
  let message: string;
  let fix: string | undefined = f.fix;
  switch (f.kind) {
    case 'not-found': {
      const name = printable(plugin.command, 200);
      message = isAbsolute(plugin.command)
        ? `${who} cannot be run: ${name} does not exist`
        : `${who} cannot be run: \`${name}\` is not installed or not on PATH`;
      const hint = plugin.installHint ? printable(plugin.installHint, 400) : undefined;
      fix =
        hint ??
        (/^aws(\.exe)?$/.test(basename(plugin.command))
          ? 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and make sure `aws` is on the PATH irsa-doctor runs with'
          : `install \`${name}\`, or put its directory on the PATH irsa-doctor runs with`);
      break;
    }
    case 'failed': {
      const how =
        f.detail !== undefined
          ? `could not be started (${f.detail})`
          : f.signal !== undefined
            ? `was killed by ${f.signal}`
            : `exited ${f.exitCode}`;
      message = `${who} ${how}${f.stderrFirstLine ? `: ${f.stderrFirstLine}` : f.detail ? '' : ' without a message on stderr'}`;
      fix ??= f.detail === 'EACCES' ? `make ${printable(plugin.command, 200)} executable (chmod +x)` : rerun;
      break;
    }
    case 'garbage':
      message = `${who} printed no usable ExecCredential: ${f.detail}`;
      fix = `${rerun}; it must print one client.authentication.k8s.io ExecCredential (${plugin.apiVersion}) as JSON on stdout${
        /^aws(\.exe)?$/.test(basename(plugin.command))
          ? ' (aws eks update-kubeconfig with a current AWS CLI writes a matching kubeconfig)'
          : ''
      }`;
      break;
    case 'timeout':
      message = `${who} did not finish within ${f.detail} and was stopped${
        f.stderrFirstLine ? ` (stderr: ${f.stderrFirstLine})` : ''
      }`;
      fix = `${rerun}: it may be waiting for input (a browser or device login, an MFA code) or for a network that does not answer`;
      break;
    case 'interrupted':
      message = `${who} was stopped: the run was interrupted`;
      break;
    case 'needs-terminal':
      message = `${who} has interactiveMode Always and needs a terminal, but standard input is not one`;
      fix =
        'run irsa-doctor from a terminal, or log in first so the plugin need not ask (e.g. aws sso login)';
      break;
  }
  const { fix: _, ...rest } = f;
  return { ...rest, message, ...(fix ? { fix } : {}) };
}

/** Names the fix for the AWS CLI's usual failures, which is what EKS kubeconfigs run. */
function fixFromStderr(
  stderr: string,
  plugin: ExecPlugin,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  // Only AWS tooling (aws, aws-vault, aws-iam-authenticator, ... or anything running `eks get-token`).
  if (!/^aws/.test(basename(plugin.command)) && !plugin.args.includes('eks')) return undefined;
  // aws reads --profile before AWS_PROFILE; the plugin's env overrides the one it inherits.
  const flag = plugin.args.indexOf('--profile');
  const profile =
    (flag >= 0 ? plugin.args[flag + 1] : undefined) ??
    plugin.env.find((e) => e.name === 'AWS_PROFILE')?.value ??
    env.AWS_PROFILE;
  const withProfile = profile ? ` --profile ${printable(profile, 80)}` : '';
  if (
    /\bsso\b/i.test(stderr) &&
    /expired|refresh failed|UnauthorizedException|invalid|not found/i.test(stderr)
  ) {
    return `aws sso login${withProfile} (the AWS SSO session has expired), then run again`;
  }
  const missing = /config profile \(([^)]*)\) could not be found/i.exec(stderr);
  if (missing) {
    return `the AWS profile "${printable(missing[1] ?? '', 80)}" does not exist in ~/.aws/config: fix AWS_PROFILE (or --profile) in the kubeconfig's exec section, or create the profile (aws configure sso --profile NAME)`;
  }
  if (/Unable to locate credentials/i.test(stderr)) {
    return 'give the AWS CLI credentials (aws configure sso, or set AWS_PROFILE in the kubeconfig exec env), then run again';
  }
  if (/ExpiredToken|RequestExpired|security token included in the request is expired/i.test(stderr)) {
    return `refresh the AWS credentials${profile ? ` of profile ${printable(profile, 80)}` : ''} (aws sso login${withProfile}, or new session credentials), then run again`;
  }
  return undefined;
}

function optionalString(v: unknown): string | undefined | null {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
