import { execFile } from 'node:child_process';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from './eks-stack.js';
import { withEnv } from './http-util.js';

let stack: EksStack;
beforeAll(async () => {
  stack = await startEksStack({ podIdentity: {} });
});
afterAll(async () => {
  await stack?.close();
});

const AMBIENT = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_ENDPOINT_URL_STS',
  'AWS_EC2_METADATA_DISABLED',
];
/** Runs the SDK's default chain in this process with exactly the pod's AWS environment. */
async function chainIdentity(env: Record<string, string>) {
  const clean = Object.fromEntries(AMBIENT.map((k) => [k, undefined]));
  return withEnv({ ...clean, ...env }, async () => {
    const credentials = await fromNodeProviderChain()();
    const sts = new STSClient({ region: env.AWS_REGION, credentials });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  });
}

describe('startEksStack', () => {
  it('gives an injected pod the app role through the default chain', async () => {
    const env = await stack.podEnv();
    expect(env).toMatchObject({
      AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/irsa-doctor-app',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      AWS_ENDPOINT_URL_STS: stack.sts.url,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.imds.url,
      NODE_EXTRA_CA_CERTS: stack.ca.caFile,
    });
    expect(await chainIdentity(env)).toMatch(
      /^arn:aws:sts::111122223333:assumed-role\/irsa-doctor-app\/aws-sdk-js-session-\d+$/,
    );
  });

  it('without injection the pod silently falls back to the node role over IMDSv1 (hop limit)', async () => {
    const env = await stack.podEnv({ omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] });
    expect(await chainIdentity(env)).toBe(
      'arn:aws:sts::111122223333:assumed-role/eksctl-irsa-doctor-nodegroup-NodeInstanceRole-1A2B3C4D5E6F/i-0abc1234def567890',
    );
    expect(stack.imds.requests.some((r) => r.method === 'PUT' && r.status === undefined)).toBe(true);
  });

  it('a service account the trust policy does not name is refused by STS', async () => {
    const env = await stack.podEnv({ serviceAccount: 'operate-sa' });
    await expect(chainIdentity(env)).rejects.toThrow(
      /Not authorized to perform sts:AssumeRoleWithWebIdentity/,
    );
  });

  it('serves Pod Identity credentials when asked for that mechanism', async () => {
    const env = await stack.podEnv({ mechanism: 'pod-identity' });
    expect(env.AWS_ROLE_ARN).toBeUndefined();
    expect(await chainIdentity(env)).toMatch(/assumed-role\/irsa-doctor-pod-identity\/eks-irsa-doctor-pod-/);
  });

  it('is enough for a fresh Node process: CA via NODE_EXTRA_CA_CERTS, STS via AWS_ENDPOINT_URL_STS', async () => {
    const env = await stack.podEnv();
    const script = `
      import https from 'node:https';
      import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
      const status = await new Promise((ok, ko) => https.get(process.argv[1], { agent: false }, (r) => { r.resume(); ok(r.statusCode); }).on('error', ko));
      const me = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      console.log(JSON.stringify({ status, arn: me.Arn }));
      process.exit(0);`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script, `${stack.issuer.issuerUrl}/keys`],
        { cwd: process.cwd(), env: { ...env, PATH: process.env.PATH ?? '' }, timeout: 20_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(out)).toMatchObject({
      status: 200,
      arn: expect.stringContaining('assumed-role/irsa-doctor-app/'),
    });
  });

  it('helps tests grant identity policies', () => {
    stack.allow('rds-db:connect', 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app');
    expect(
      stack.iam.isAllowed(
        stack.roleArn,
        'rds-db:connect',
        'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app',
      ),
    ).toBe(true);
    expect(stack.healthyTrustPolicy()).toEqual(stack.role.trustPolicy);
  });
});
