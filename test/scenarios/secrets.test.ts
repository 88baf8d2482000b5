import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CamundaStack, startCamundaStack } from '../harness/camunda-stack.js';
import type { EksStack } from '../harness/eks-stack.js';
import { runCli } from '../support/run-agent.js';

// Plants canary secrets in every input the agent reads, runs it in every output mode (with --debug,
// which prints stack traces), and greps stdout and stderr for each canary and for every credential the
// emulators issued during the run (STS session keys, IMDS node-role keys, the RDS token's signature).

const CANARY = {
  secretKey: 'CANARYsecretKEY0000wJalrXUtnFEMIK7MDENGbPxRfiCY',
  sessionToken: 'CANARYsessionTOKEN0000FwoGZXIvYXdzEJr',
  fileSecret: 'CANARYfileSECRET0000abcdefghijklmnopqrstuv',
  processSecret: 'CANARYprocessSECRET0000zyxwvutsrqponm',
  badToken: 'CANARYnotAjwt0000-this-file-holds-a-secret-but-no-token',
};

describe('no output path prints a secret', () => {
  let camunda: CamundaStack;
  let eks: EksStack;
  let targets: string[];

  beforeAll(async () => {
    // FGAC maps nothing, so the OpenSearch path ends in a denial that echoes the caller.
    camunda = await startCamundaStack({ imdsMode: 'v2', roleMappings: {} });
    eks = camunda.eks;
    targets = [...camunda.postgresArgs(), ...camunda.opensearchArgs()];
  });
  afterAll(async () => {
    await camunda?.close();
  });

  async function assertNoLeak(env: Record<string, string>, extraSecrets: string[] = []) {
    for (const args of [
      ['check', '-o', 'json', '--debug'],
      ['check', '-o', 'text', '--debug'],
    ]) {
      const r = await runCli([...args, ...targets, '--timeout', '10'], { ...env, NO_COLOR: '1' });
      const out = r.stdout + r.stderr;
      expect(r.stdout.length).toBeGreaterThan(100);
      const issued = eks.iam.issuedCredentials().flatMap((c) => [c.secretAccessKey, c.sessionToken ?? '']);
      for (const secret of [...Object.values(CANARY), ...issued, ...extraSecrets].filter(Boolean)) {
        expect(out.includes(secret), `leaked ${secret.slice(0, 12)}...`).toBe(false);
      }
      // Presigned RDS tokens and SigV4 headers: a signature value never appears.
      expect(out).not.toMatch(/X-Amz-Signature=[0-9a-f]{16,}/);
      expect(out).not.toMatch(/Signature=[0-9a-f]{64}/);
    }
  }

  it('a healthy pod: the token, its signature and the STS session credentials stay out', async () => {
    const env = await eks.podEnv();
    const { readFileSync } = await import('node:fs');
    const token = readFileSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'utf8');
    await assertNoLeak(env, [token, token.split('.')[2]!]);
  });

  it('static keys, a session token and a credentials file that shadow IRSA stay out', async () => {
    const env = await eks.podEnv();
    const home = join(eks.tmpDir, 'leaky-home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'credentials'),
      `[default]\naws_access_key_id = AKIACANARY0000000000\naws_secret_access_key = ${CANARY.fileSecret}\n`,
    );
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile tool]\ncredential_process = /bin/echo ${CANARY.processSecret}\n`,
    );
    await assertNoLeak({
      ...env,
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      AWS_ACCESS_KEY_ID: 'AKIACANARY0000000001',
      AWS_SECRET_ACCESS_KEY: CANARY.secretKey,
      AWS_SESSION_TOKEN: CANARY.sessionToken,
    });
  });

  it('a token file that is not a JWT is never echoed back', async () => {
    const env = await eks.podEnv();
    writeFileSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!, CANARY.badToken);
    await assertNoLeak(env);
  });

  it('a pod that falls back to the node role: the IMDS credentials stay out', async () => {
    const env = await eks.podEnv({ omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] });
    await assertNoLeak(env);
  });
});
