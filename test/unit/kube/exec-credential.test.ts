// The exec plugins are a node script played by process.execPath (fixtures.ts FAKE_PLUGIN), run for
// real: nothing here mocks child_process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExecPlugin } from '../../../src/kube/exec-credential.js';
import { clearRegisteredSecrets, redact } from '../../../src/lib/redact.js';
import { createTestCa } from '../../harness/tls-ca.js';
import { fakeExec, survivors, tempDir, writeFakePlugin } from './fixtures.js';

afterEach(() => clearRegisteredSecrets());

const dir = tempDir('irsa-doctor-exec-');
const script = writeFakePlugin(dir);
const QUIET = { stdinIsTerminal: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };

describe('runExecPlugin: failures', () => {
  it('a command that does not exist: not-found, named, with the install fix', async () => {
    const r = await runExecPlugin(
      fakeExec(script, [], { command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'] }),
      {
        ...QUIET,
        env: { PATH: join(dir, 'empty-path') },
      },
    );
    expect(r).toMatchObject({
      ok: false,
      kind: 'not-found',
      command: 'aws eks get-token --cluster-name prod',
    });
    if (!r.ok) {
      expect(r.message).toContain("the kubeconfig's exec plugin `aws eks get-token --cluster-name prod`");
      expect(r.fix).toMatch(/install the AWS CLI v2/);
    }
    const hinted = await runExecPlugin(
      fakeExec(script, [], {
        command: join(dir, 'no-such-plugin'),
        installHint: 'brew install \x1b[1mthing\x1b[0m',
      }),
      QUIET,
    );
    expect(hinted).toMatchObject({ ok: false, kind: 'not-found', fix: 'brew install thing' });
  });

  it('exit 255 with an SSO error: failed, exit code, first stderr line escaped, aws sso login as the fix', async () => {
    // `eks get-token` in the arguments marks AWS tooling, whose errors get AWS fixes.
    const plugin = fakeExec(script, ['fail', 'eks', 'get-token'], {
      env: [{ name: 'AWS_PROFILE', value: 'prod-admin' }],
    });
    const r = await runExecPlugin(plugin, QUIET);
    expect(r).toMatchObject({
      ok: false,
      kind: 'failed',
      exitCode: 255,
      stderrFirstLine: 'Error when retrieving token from sso: Token has expired and refresh failed',
      fix: expect.stringContaining('aws sso login --profile prod-admin'),
    });
    if (!r.ok) {
      expect(r.message).toBe(
        `the kubeconfig's exec plugin \`${process.execPath} ${script} fail eks get-token\` (user "${plugin.user}" in ${plugin.file}) exited 255: Error when retrieving token from sso: Token has expired and refresh failed`,
      );
    }
  });

  it('garbage on stdout: garbage, and the message never quotes stdout', async () => {
    const r = await runExecPlugin(fakeExec(script, ['garbage']), QUIET);
    expect(r).toMatchObject({ ok: false, kind: 'garbage' });
    if (!r.ok) {
      expect(r.detail).toMatch(/stdout is not JSON/);
      expect(`${r.message} ${r.fix}`).not.toContain('abcdefgh12345678');
    }
    const wrong = await runExecPlugin(fakeExec(script, ['wrong-version']), QUIET);
    expect(wrong).toMatchObject({ ok: false, kind: 'garbage', detail: expect.stringContaining('v1alpha1') });
  });

  it('interactiveMode Always without a terminal: needs-terminal, and the plugin is not started', async () => {
    const count = join(dir, 'always-count');
    const r = await runExecPlugin(fakeExec(script, ['count', count], { interactiveMode: 'Always' }), QUIET);
    expect(r).toMatchObject({ ok: false, kind: 'needs-terminal' });
    expect(() => readFileSync(count)).toThrow();
  });
});

describe('runExecPlugin: a plugin that hangs', () => {
  async function pidsFrom(file: string): Promise<number[]> {
    for (let i = 0; i < 200; i++) {
      try {
        const p = JSON.parse(readFileSync(file, 'utf8')) as { plugin: number; grandchild: number };
        return [p.plugin, p.grandchild];
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error('the plugin never wrote its pids');
  }

  /** The pids still alive after a grace period; killed here so a failing test leaves nothing behind. */
  async function noneLeft(pids: number[]): Promise<number[]> {
    const left = await survivors(pids);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    return left;
  }

  it('is stopped at the deadline with everything it started, SIGTERM-deaf grandchild included', async () => {
    const pidFile = join(dir, 'hang-deadline.json');
    const started = Date.now();
    const r = await runExecPlugin(fakeExec(script, ['hang', pidFile]), {
      ...QUIET,
      timeoutMs: 2000,
      killGraceMs: 300,
    });
    expect(r).toMatchObject({ ok: false, kind: 'timeout', stderrFirstLine: 'waiting for the browser login' });
    expect(Date.now() - started).toBeLessThan(2000 + 3 * 300 + 1000);
    if (!r.ok) expect(r.fix).toMatch(/waiting for input/);
    expect(await noneLeft(await pidsFrom(pidFile))).toEqual([]);
  });

  it('is stopped when the run is interrupted, with everything it started', async () => {
    const pidFile = join(dir, 'hang-abort.json');
    const abort = new AbortController();
    const pending = runExecPlugin(fakeExec(script, ['hang', pidFile]), {
      ...QUIET,
      signal: abort.signal,
      timeoutMs: 60_000,
      killGraceMs: 300,
    });
    const pids = await pidsFrom(pidFile);
    abort.abort();
    expect(await pending).toMatchObject({ ok: false, kind: 'interrupted' });
    expect(await noneLeft(pids)).toEqual([]);
  });
});

describe('runExecPlugin: credentials', () => {
  it('a v1beta1 token, with its expiry; the token becomes a registered secret', async () => {
    const r = await runExecPlugin(
      fakeExec(script, ['token'], { env: [{ name: 'EXPIRES', value: '2030-01-02T03:04:05Z' }] }),
      QUIET,
    );
    expect(r).toEqual({
      ok: true,
      token: 'k8s-aws-v1.fake-token-for-tests',
      expiresAt: Date.parse('2030-01-02T03:04:05Z'),
    });
    expect(redact('Bearer k8s-aws-v1.fake-token-for-tests')).not.toContain('fake-token');
  });

  it('a v1 client certificate, and KUBERNETES_EXEC_INFO with the cluster when provideClusterInfo', async () => {
    const ca = await createTestCa();
    const client = await ca.issue(['tester']);
    const info = join(dir, 'info.json');
    const plugin = fakeExec(script, ['info', info], {
      apiVersion: 'client.authentication.k8s.io/v1',
      interactiveMode: 'Never',
      provideClusterInfo: true,
      cluster: {
        server: 'https://api.example',
        'certificate-authority-data': 'Q0E=',
        config: { audience: 'x' },
      },
      env: [{ name: 'API', value: 'client.authentication.k8s.io/v1' }],
    });
    const r = await runExecPlugin(plugin, QUIET);
    expect(r).toMatchObject({ ok: true, token: 'k8s-aws-v1.fake-token-for-tests' });
    expect(JSON.parse(readFileSync(info, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: {
          server: 'https://api.example',
          'certificate-authority-data': 'Q0E=',
          config: { audience: 'x' },
        },
      },
    });
    const cert = await runExecPlugin(
      fakeExec(script, ['cert'], {
        env: [
          { name: 'CERT', value: client.certPem },
          { name: 'KEY', value: client.keyPem },
        ],
      }),
      QUIET,
    );
    expect(cert).toEqual({ ok: true, clientCertificate: { cert: client.certPem, key: client.keyPem } });
    ca.cleanup();
  });
});
