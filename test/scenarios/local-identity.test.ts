// The local identity checks (env, role-arn, token-file, token-claims, oidc) through the real CLI,
// against the loopback EKS stack, one failure mode per test.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { closedPort, startBlackhole } from '../harness/net-fixtures.js';
import { runAgent } from '../support/run-agent.js';

const ONLY = ['--only', 'env,role-arn,token-file,token-claims,oidc'];
let stack: EksStack;
let dir: string;
let files = 0;

beforeAll(async () => {
  stack = await startEksStack({ podIdentity: {} });
  dir = mkdtempSync(join(stack.tmpDir, 'local-'));
});
afterAll(() => stack?.close());

/** A file under the test's temp dir. */
function file(content: string | Buffer, name = `f${++files}`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const run = (env: Record<string, string>, args: string[] = []) => runAgent(env, [...ONLY, ...args]);

/** The pod's own ServiceAccount mount (namespace file, and the API token when `tokenFor` is given). */
async function podServiceAccountDir(
  namespace: string,
  tokenFor?: { namespace: string; serviceAccount: string },
) {
  const saDir = join(dir, `sa-${++files}`);
  mkdirSync(saDir);
  writeFileSync(join(saDir, 'namespace'), namespace);
  if (tokenFor)
    writeFileSync(
      join(saDir, 'token'),
      await stack.issuer.mintToken({ ...tokenFor, audience: ['https://kubernetes.default.svc'] }),
    );
  return saDir;
}

describe('healthy pod', () => {
  it('passes every local check and fills the report context from the token', async () => {
    const env = await stack.podEnv();
    const r = await run(env);
    expect(r.code).toBe(0);
    for (const id of ['env', 'role-arn', 'token-file', 'token-claims', 'oidc'])
      expect(r.check(id)?.status).toBe('pass');
    for (const code of ['ENV-INJECTED', 'ARN-VALID', 'TOKEN-FILE-OK', 'TOKEN-CLAIMS-OK', 'OIDC-OK'])
      expect(r.finding(code)?.status).toBe('pass');
    expect(r.report.context).toMatchObject({
      mechanism: 'irsa',
      namespace: 'camunda',
      serviceAccount: 'zeebe-sa',
      region: 'eu-west-1',
      roleArn: stack.roleArn,
    });
    expect(r.report.context.node).toBeTruthy();
    const token = readFileSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'utf8');
    expect(r.stdout).not.toContain(token.split('.')[2]);
    expect(r.stdout).not.toContain(token.split('.')[1]);
  });
});

describe('env', () => {
  it('ENV-NOT-INJECTED when neither mechanism is in the env', async () => {
    const r = await run(
      await stack.podEnv({
        omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_STS_REGIONAL_ENDPOINTS'],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.finding('ENV-NOT-INJECTED')?.status).toBe('fail');
    expect(r.finding('ENV-NOT-INJECTED')?.remediation).toContain('pod-identity-webhook');
    expect(r.report.context.mechanism).toBe('none');
    expect(r.finding('ARN-NOT-SET')?.status).toBe('skip');
    expect(r.finding('TOKEN-FILE-NOT-SET')?.status).toBe('skip');
    expect(r.finding('OIDC-SKIPPED')?.status).toBe('skip');
  });

  it("ENV-NOT-INJECTED fills the report context from the pod's own ServiceAccount mount", async () => {
    const saDir = await podServiceAccountDir('camunda', { namespace: 'camunda', serviceAccount: 'zeebe-sa' });
    const r = await run(
      await stack.podEnv({
        omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_STS_REGIONAL_ENDPOINTS'],
        extra: { IRSA_DOCTOR_SA_DIR: saDir },
      }),
    );
    expect(r.finding('ENV-NOT-INJECTED')?.status).toBe('fail');
    expect(r.finding('ENV-NOT-INJECTED')?.remediation).toContain('kubectl get sa zeebe-sa -n camunda');
    expect(r.report.context).toMatchObject({ namespace: 'camunda', serviceAccount: 'zeebe-sa' });
  });

  it('ENV-PARTIAL when the container set AWS_ROLE_ARN itself and got no token file', async () => {
    const r = await run(await stack.podEnv({ omit: ['AWS_WEB_IDENTITY_TOKEN_FILE'] }));
    expect(r.code).toBe(1);
    expect(r.finding('ENV-PARTIAL')).toMatchObject({
      status: 'fail',
      details: { present: 'AWS_ROLE_ARN', missing: 'AWS_WEB_IDENTITY_TOKEN_FILE' },
    });
    expect(r.finding('ENV-INJECTED')).toBeUndefined();
    // The webhook skipped the container because it sets AWS_ROLE_ARN itself: nothing was injected.
    const notInjected = r.finding('ENV-NOT-INJECTED');
    expect(notInjected).toMatchObject({
      status: 'fail',
      details: {
        partial: [{ mechanism: 'irsa', present: 'AWS_ROLE_ARN', missing: 'AWS_WEB_IDENTITY_TOKEN_FILE' }],
      },
    });
    expect(notInjected?.remediation).toMatch(/^[^(]*\(1\)[^(]*container sets AWS_ROLE_ARN itself/);
    expect(notInjected?.remediation).toMatch(/kubectl set env deployment\/NAME -n \S+ AWS_ROLE_ARN-/);
  });

  it('ENV-NOT-INJECTED and ENV-PARTIAL when only the token file variable is set', async () => {
    const r = await run(await stack.podEnv({ omit: ['AWS_ROLE_ARN'] }));
    expect(r.finding('ENV-PARTIAL')?.status).toBe('fail');
    expect(r.finding('ENV-NOT-INJECTED')?.details?.partial).toEqual([
      { mechanism: 'irsa', present: 'AWS_WEB_IDENTITY_TOKEN_FILE', missing: 'AWS_ROLE_ARN' },
    ]);
  });

  it('no ENV-NOT-INJECTED when half of IRSA is set but Pod Identity is complete', async () => {
    const r = await run(await stack.podEnv({ mechanism: 'both', omit: ['AWS_ROLE_ARN'] }));
    expect(r.finding('ENV-PARTIAL')?.status).toBe('warn');
    expect(r.finding('ENV-NOT-INJECTED')).toBeUndefined();
    expect(r.finding('ENV-INJECTED')?.details?.mechanism).toBe('pod-identity');
  });

  it('ENV-REGION-MISSING (warn) without any region', async () => {
    const r = await run(await stack.podEnv({ omit: ['AWS_REGION', 'AWS_DEFAULT_REGION'] }));
    expect(r.finding('ENV-REGION-MISSING')?.status).toBe('warn');
    expect(r.report.verdict).toBe('warn');
    expect(r.code).toBe(0);
  });

  it('ENV-REGION-DEFAULT-ONLY when only AWS_DEFAULT_REGION is set', async () => {
    const r = await run(await stack.podEnv({ omit: ['AWS_REGION'] }));
    expect(r.finding('ENV-REGION-DEFAULT-ONLY')?.status).toBe('warn');
    expect(r.finding('ENV-REGION-MISSING')).toBeUndefined();
  });

  it('ENV-REGION-INVALID for an availability zone', async () => {
    const r = await run(await stack.podEnv({ extra: { AWS_REGION: 'eu-west-1a' } }));
    expect(r.finding('ENV-REGION-INVALID')?.status).toBe('warn');
  });

  it('CHAIN-SHADOWED by static keys in the env, without printing them', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const r = await run(
      await stack.podEnv({
        extra: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret },
      }),
    );
    expect(r.code).toBe(1);
    const f = r.finding('CHAIN-SHADOWED');
    expect(f?.status).toBe('fail');
    expect(f?.details?.sources).toEqual([
      { source: 'env', kind: 'static-keys', keys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] },
    ]);
    expect(r.stdout).not.toContain(secret);
    expect(r.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('CHAIN-SHADOWED by the AWS_PROFILE profile in a credentials file', async () => {
    const creds = file(
      '[default]\nregion = eu-west-1\n\n[app]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s3cr3tValue1234567890\n',
    );
    const r = await run(
      await stack.podEnv({ extra: { AWS_PROFILE: 'app', AWS_SHARED_CREDENTIALS_FILE: creds } }),
    );
    expect(r.finding('CHAIN-SHADOWED')).toMatchObject({
      status: 'fail',
      details: {
        profile: 'app',
        sources: [{ source: 'credentials-file', kind: 'static-keys', file: creds }],
      },
    });
    expect(r.stdout).not.toContain('s3cr3tValue1234567890');
  });

  it('CHAIN-SHADOWED by credential_process in the default profile of ~/.aws/config', async () => {
    const config = file(
      '[default]\nregion = eu-west-1\ncredential_process = /usr/local/bin/get-creds --json  # vault\n',
    );
    const r = await run(await stack.podEnv({ extra: { AWS_CONFIG_FILE: config } }));
    expect(r.finding('CHAIN-SHADOWED')?.details?.sources).toEqual([
      {
        source: 'config-file',
        kind: 'credential-process',
        keys: ['credential_process'],
        file: config,
        profile: 'default',
      },
    ]);
  });

  it('no shadow when AWS_PROFILE names a profile without credentials (env keys are then skipped too)', async () => {
    const config = file('[profile app]\nregion = eu-west-1\n');
    const r = await run(
      await stack.podEnv({
        extra: {
          AWS_PROFILE: 'app',
          AWS_CONFIG_FILE: config,
          AWS_ACCESS_KEY_ID: 'AKIA',
          AWS_SECRET_ACCESS_KEY: 'x',
        },
      }),
    );
    expect(r.finding('CHAIN-SHADOWED')).toBeUndefined();
    expect(r.check('env')?.status).toBe('pass');
  });

  it('Pod Identity alone: injected, role from the association, token audience pods.eks.amazonaws.com', async () => {
    const r = await run(await stack.podEnv({ mechanism: 'pod-identity' }));
    expect(r.code).toBe(0);
    expect(r.finding('ENV-INJECTED')?.details?.mechanism).toBe('pod-identity');
    expect(r.finding('ARN-NOT-SET')?.status).toBe('skip');
    expect(r.finding('TOKEN-FILE-OK')?.details?.mechanism).toBe('pod-identity');
    expect(r.finding('TOKEN-CLAIMS-OK')?.details?.mechanism).toBe('pod-identity');
    expect(r.finding('OIDC-SKIPPED')?.status).toBe('skip');
  });

  it('ENV-BOTH-MECHANISMS says IRSA wins', async () => {
    const r = await run(await stack.podEnv({ mechanism: 'both' }));
    expect(r.finding('ENV-BOTH-MECHANISMS')).toMatchObject({ status: 'info', details: { wins: 'irsa' } });
    expect(r.report.context.mechanism).toBe('both');
    expect(r.findings.filter((f) => f.code === 'TOKEN-CLAIMS-OK')).toHaveLength(2);
  });
});

describe('role-arn', () => {
  it.each([
    ['arn:aws:iam::::1234567890:role/example', ['extra-colon', 'account']],
    ['arn:aws:iam::11112222333:role/zeebe', ['account']],
    ['arn:aws:iam::111122223333:user/zeebe', ['resource-type']],
    [' arn:aws:iam::111122223333:role/zeebe\n', ['whitespace']],
    ['"arn:aws:iam::111122223333:role/zeebe"', ['quotes']],
    ['arn:aws-foo:iam::111122223333:role/zeebe', ['partition']],
  ])('ARN-INVALID for %j', async (arn, problems) => {
    const r = await run(await stack.podEnv({ roleArn: arn }));
    expect(r.code).toBe(1);
    const f = r.finding('ARN-INVALID');
    expect(f?.status).toBe('fail');
    expect(((f?.details?.problems ?? []) as Array<{ code: string }>).map((p) => p.code)).toEqual(problems);
    expect(f?.remediation).toContain('kubectl annotate sa zeebe-sa -n camunda eks.amazonaws.com/role-arn=');
  });

  it('ARN-VALID for a role with a path', async () => {
    const r = await run(await stack.podEnv({ roleArn: 'arn:aws:iam::111122223333:role/camunda/zeebe' }));
    expect(r.finding('ARN-VALID')?.details).toMatchObject({ path: '/camunda/', name: 'zeebe' });
  });

  it('ARN-PARTITION-MISMATCH for a commercial role in a China region', async () => {
    const r = await run(
      await stack.podEnv({ extra: { AWS_REGION: 'cn-north-1', AWS_DEFAULT_REGION: 'cn-north-1' } }),
    );
    expect(r.finding('ARN-PARTITION-MISMATCH')?.status).toBe('warn');
  });

  it('ARN-PARTITION-MISMATCH when only the AWS profile names the region, even with role-arn checked alone', async () => {
    // The region comes from the shared config file; no check writes it anywhere for another to read.
    const config = file('[profile app]\nregion = cn-north-1\n');
    const env = await stack.podEnv({
      omit: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
      extra: { AWS_PROFILE: 'app', AWS_CONFIG_FILE: config },
    });
    for (const only of ['role-arn', 'env,role-arn']) {
      const r = await runAgent(env, ['--only', only]);
      expect(r.finding('ARN-PARTITION-MISMATCH')).toMatchObject({
        status: 'warn',
        details: { region: 'cn-north-1', regionPartition: 'aws-cn', partition: 'aws' },
      });
      expect(r.finding('ARN-PARTITION-MISMATCH')?.remediation).toContain('arn:aws-cn:iam::ACCOUNT:role/NAME');
      expect(r.report.context.region).toBe('cn-north-1');
    }
  });
});

describe('token-file', () => {
  it('TOKEN-FILE-MISSING when the projected volume is not mounted', async () => {
    const r = await run(
      await stack.podEnv({ extra: { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'nope', 'token') } }),
    );
    expect(r.code).toBe(1);
    expect(r.finding('TOKEN-FILE-MISSING')).toMatchObject({ status: 'fail', details: { errno: 'ENOENT' } });
    expect(r.finding('TOKEN-CLAIMS-SKIPPED')?.status).toBe('skip');
    expect(r.finding('OIDC-SKIPPED')?.status).toBe('skip');
  });

  it('TOKEN-FILE-UNREADABLE when the variable names the mount directory', async () => {
    const r = await run(await stack.podEnv({ extra: { AWS_WEB_IDENTITY_TOKEN_FILE: dir } }));
    expect(r.finding('TOKEN-FILE-UNREADABLE')).toMatchObject({
      status: 'fail',
      details: { errno: 'EISDIR' },
    });
  });

  it('TOKEN-FILE-UNREADABLE (EACCES) for a non-root container without fsGroup', async () => {
    const env = await stack.podEnv();
    const podDir = join(dir, `pod-eacces-${++files}`);
    mkdirSync(podDir);
    const token = join(podDir, 'token');
    writeFileSync(token, readFileSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!));
    chmodSync(token, 0o600);
    // Root reads anything, so when the tests run as root the agent runs as nobody, like a non-root image.
    for (const d of [stack.tmpDir, dir, podDir]) chmodSync(d, 0o755);
    const r = await runAs({ ...env, AWS_WEB_IDENTITY_TOKEN_FILE: token });
    const f = r.report.checks.flatMap((c) => c.findings).find((x) => x.code === 'TOKEN-FILE-UNREADABLE');
    expect(f).toMatchObject({ status: 'fail', details: { errno: 'EACCES', fileMode: '0600' } });
    expect(f?.remediation).toContain(
      "Set the pod's securityContext.fsGroup to a GID the container runs with (e.g. 65534;",
    );
    expect(r.code).toBe(1);
  });

  it('TOKEN-MALFORMED for a file that is not a JWT', async () => {
    const r = await run(
      await stack.podEnv({ extra: { AWS_WEB_IDENTITY_TOKEN_FILE: file('placeholder-token\n') } }),
    );
    expect(r.finding('TOKEN-MALFORMED')).toMatchObject({ status: 'fail', details: { reason: 'malformed' } });
  });

  it('TOKEN-MALFORMED for an empty file', async () => {
    const r = await run(await stack.podEnv({ extra: { AWS_WEB_IDENTITY_TOKEN_FILE: file('') } }));
    expect(r.finding('TOKEN-MALFORMED')?.details?.detail).toBe('the file is empty');
  });

  it('TOKEN-MALFORMED for a huge binary file, read only up to the bound', async () => {
    const r = await run(
      await stack.podEnv({ extra: { AWS_WEB_IDENTITY_TOKEN_FILE: file(randomBytes(4 * 1024 * 1024)) } }),
    );
    expect(r.finding('TOKEN-MALFORMED')).toMatchObject({ status: 'fail', details: { reason: 'too-large' } });
  });

  it('TOKEN-MALFORMED for a small binary file', async () => {
    const r = await run(
      await stack.podEnv({
        extra: { AWS_WEB_IDENTITY_TOKEN_FILE: file(Buffer.from([0, 1, 2, 0xff, 0xfe, 10])) },
      }),
    );
    expect(r.finding('TOKEN-MALFORMED')?.details?.reason).toBe('malformed');
  });
});

describe('token-claims', () => {
  it('TOKEN-EXPIRED for a token past exp', async () => {
    const r = await run(
      await stack.podEnv({ tokenOpts: { expiresInSeconds: -60, issuedAtOffsetSeconds: -3660 } }),
    );
    expect(r.code).toBe(1);
    expect(r.finding('TOKEN-EXPIRED')?.status).toBe('fail');
    // The signature is still the issuer's.
    expect(r.finding('OIDC-OK')?.status).toBe('pass');
  });

  it('TOKEN-EXPIRED for a token whose nbf is in the future (clock skew)', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { notBeforeOffsetSeconds: 3600 } }));
    expect(r.finding('TOKEN-EXPIRED')).toMatchObject({ status: 'fail' });
    expect(r.finding('TOKEN-EXPIRED')?.message).toContain('not valid yet');
  });

  it('TOKEN-STALE (warn) for a token the kubelet should have replaced', async () => {
    const r = await run(
      await stack.podEnv({ tokenOpts: { issuedAtOffsetSeconds: -80_000, expiresInSeconds: 6_400 } }),
    );
    expect(r.finding('TOKEN-STALE')?.status).toBe('warn');
  });

  it('TOKEN-AUDIENCE for a token without sts.amazonaws.com', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { audience: ['https://kubernetes.default.svc'] } }));
    expect(r.code).toBe(1);
    expect(r.finding('TOKEN-AUDIENCE')).toMatchObject({
      status: 'fail',
      details: { expected: ['sts.amazonaws.com'] },
    });
    expect(r.finding('TOKEN-AUDIENCE')?.remediation).toContain('eks.amazonaws.com/audience');
  });

  it('TOKEN-AUDIENCE when the token lacks the --audience asked for', async () => {
    const r = await run(await stack.podEnv(), ['--audience', 'camunda-irsa']);
    expect(r.finding('TOKEN-AUDIENCE')).toMatchObject({
      status: 'fail',
      details: { expected: ['camunda-irsa'] },
    });
  });

  it('a custom audience passes with --audience', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { audience: ['camunda-irsa'] } }), [
      '--audience',
      'camunda-irsa',
    ]);
    expect(r.finding('TOKEN-CLAIMS-OK')?.status).toBe('pass');
  });

  it("TOKEN-SUBJECT when the token belongs to another ServiceAccount than the pod's", async () => {
    const saDir = await podServiceAccountDir('camunda', {
      namespace: 'camunda',
      serviceAccount: 'operate-sa',
    });
    const r = await run(await stack.podEnv({ extra: { IRSA_DOCTOR_SA_DIR: saDir } }));
    expect(r.code).toBe(1);
    expect(r.finding('TOKEN-SUBJECT')).toMatchObject({
      status: 'fail',
      details: { expectedSubject: 'system:serviceaccount:camunda:operate-sa' },
    });
  });

  it("TOKEN-SUBJECT when the token's namespace is not the pod's", async () => {
    const saDir = await podServiceAccountDir('operate');
    const r = await run(await stack.podEnv({ extra: { IRSA_DOCTOR_SA_DIR: saDir } }));
    expect(r.finding('TOKEN-SUBJECT')?.status).toBe('fail');
  });

  it("TOKEN-SUBJECT when sub disagrees with the token's own kubernetes.io claim", async () => {
    const r = await run(
      await stack.podEnv({ tokenOpts: { extraClaims: { sub: 'system:serviceaccount:camunda:admin' } } }),
    );
    expect(r.finding('TOKEN-SUBJECT')?.status).toBe('fail');
  });
});

describe('oidc', () => {
  it('OIDC-UNREACHABLE (warn, not fatal) when the issuer refuses connections', async () => {
    const port = await closedPort();
    const r = await run(await stack.podEnv({ tokenOpts: { issuer: `https://127.0.0.1:${port}/id/GONE` } }));
    expect(r.finding('OIDC-UNREACHABLE')).toMatchObject({ status: 'warn', details: { kind: 'refused' } });
    expect(r.code).toBe(0);
  });

  it('OIDC-UNREACHABLE with kind http-status when the issuer answers 503', async () => {
    const env = await stack.podEnv();
    stack.issuer.setDown(true, '503');
    try {
      const r = await run(env);
      expect(r.finding('OIDC-UNREACHABLE')).toMatchObject({
        status: 'warn',
        details: { kind: 'http-status', status: 503 },
      });
    } finally {
      stack.issuer.setDown(false);
    }
  });

  it('OIDC-UNREACHABLE with kind tls when the pod does not trust the issuer CA', async () => {
    const r = await run(await stack.podEnv({ omit: ['NODE_EXTRA_CA_CERTS'] }));
    expect(r.finding('OIDC-UNREACHABLE')).toMatchObject({ status: 'warn', details: { kind: 'tls' } });
  });

  it('OIDC-UNREACHABLE with kind timeout when the issuer never answers', async () => {
    const hole = await startBlackhole();
    try {
      const r = await run(
        await stack.podEnv({ tokenOpts: { issuer: `https://${hole.host}:${hole.port}/id/HOLE` } }),
      );
      expect(r.finding('OIDC-UNREACHABLE')).toMatchObject({ status: 'warn', details: { kind: 'timeout' } });
      expect(r.check('oidc')?.status).toBe('warn');
    } finally {
      await hole.close();
    }
  });

  it('OIDC-UNREACHABLE (warn), not a check error, for a blackholed issuer with --timeout 2', async () => {
    const hole = await startBlackhole();
    try {
      const r = await run(
        await stack.podEnv({ tokenOpts: { issuer: `https://${hole.host}:${hole.port}/id/HOLE` } }),
        ['--timeout', '2'],
      );
      expect(r.finding('OIDC-UNREACHABLE')).toMatchObject({ status: 'warn', details: { kind: 'timeout' } });
      expect(r.check('oidc')?.status).toBe('warn');
      expect(r.report.checks.filter((c) => c.status === 'error').map((c) => c.id)).toEqual([]);
    } finally {
      await hole.close();
    }
  });

  it('OIDC-ISSUER-MISMATCH for a trailing slash on iss', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { issuer: `${stack.issuer.issuerUrl}/` } }));
    expect(r.code).toBe(1);
    expect(r.finding('OIDC-ISSUER-MISMATCH')?.status).toBe('fail');
    expect(r.finding('OIDC-ISSUER-MISMATCH')?.message).toContain('trailing slash');
  });

  it('OIDC-SIGNATURE-INVALID for a token signed by a foreign key', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { signWithForeignKey: true } }));
    expect(r.code).toBe(1);
    expect(r.finding('OIDC-SIGNATURE-INVALID')).toMatchObject({
      status: 'fail',
      details: { reason: 'bad-signature' },
    });
  });

  it('OIDC-SIGNATURE-INVALID (no key) after the issuer rotated its keys away', async () => {
    const env = await stack.podEnv();
    await stack.issuer.rotateKeys();
    const r = await run(env);
    expect(r.finding('OIDC-SIGNATURE-INVALID')).toMatchObject({
      status: 'fail',
      details: { reason: 'no-key' },
    });
  });

  it('OIDC-ISSUER-INVALID for an http issuer', async () => {
    const r = await run(await stack.podEnv({ tokenOpts: { issuer: 'http://127.0.0.1:1/id/X' } }));
    expect(r.finding('OIDC-ISSUER-INVALID')?.status).toBe('fail');
  });
});

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));

/** Like runAgent, but as uid/gid 65534 when the tests run as root. */
async function runAs(env: Record<string, string>): Promise<{ code: number | null; report: Report }> {
  const root = process.getuid?.() === 0;
  const child = spawn(process.execPath, [CLI, 'check', '-o', 'json', ...ONLY], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(root ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, report: JSON.parse(stdout) as Report };
}
