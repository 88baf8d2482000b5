import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromContainerMetadata, fromHttp, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withEnv } from './http-util.js';
import { IamAccount } from './iam.js';
import { type PodIdentityAgent, type PodIdentityMode, startPodIdentityAgent } from './pod-identity-agent.js';

const iam = new IamAccount();
const roleArn = iam.roleArn('irsa-doctor-app');
const token = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsicG9kcy5la3MuYW1hem9uYXdzLmNvbSJdfQ.c2ln';
const dir = mkdtempSync(join(tmpdir(), 'pod-identity-'));
const tokenFile = join(dir, 'eks-pod-identity-token');
writeFileSync(tokenFile, token);
let agent: PodIdentityAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(mode: PodIdentityMode, expectedToken?: string) {
  agent = await startPodIdentityAgent({ iam, roleArn, mode, expectedToken });
  return agent;
}

describe('Pod Identity agent emulator', () => {
  it('serves role credentials to fromHttp with the raw token from the token file', async () => {
    const a = await start('ok', token);
    const c = await fromHttp({
      awsContainerCredentialsFullUri: a.url,
      awsContainerAuthorizationTokenFile: tokenFile,
    })();
    expect(iam.findCredentials(c.accessKeyId)).toMatchObject({ roleArn, source: 'pod-identity' });
    expect(a.requests[0]).toMatchObject({ path: '/v1/credentials', authorization: token, status: 200 });
  });

  it('is what the default chain uses when AWS_CONTAINER_CREDENTIALS_FULL_URI is set', async () => {
    const a = await start('ok');
    const c = await withEnv(
      {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: a.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: undefined,
        AWS_ROLE_ARN: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      () => fromNodeProviderChain()(),
    );
    expect(iam.findCredentials(c.accessKeyId)?.roleArn).toBe(roleArn);
  });

  it('answers 400 without a token and 403 Access Denied for a refused one', async () => {
    const a = await start('ok', token);
    expect((await fetch(a.url)).status).toBe(400);
    const other = 'aaa.bbb.ccc';
    const denied = await fetch(a.url, { headers: { authorization: other } });
    expect([denied.status, await denied.text()]).toEqual([403, 'Access Denied\n']);
    a.setMode('access-denied');
    await expect(
      fromHttp({
        awsContainerCredentialsFullUri: a.url,
        awsContainerAuthorizationTokenFile: tokenFile,
        maxRetries: 0,
      })(),
    ).rejects.toThrow(/status: 403/);
    a.setMode('bad-request');
    await expect(
      fromHttp({
        awsContainerCredentialsFullUri: a.url,
        awsContainerAuthorizationTokenFile: tokenFile,
        maxRetries: 0,
      })(),
    ).rejects.toThrow(/status: 400/);
  });

  it('hang: the SDK times out', async () => {
    const a = await start('hang');
    await expect(
      withEnv(
        { AWS_CONTAINER_CREDENTIALS_FULL_URI: a.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile },
        () => fromContainerMetadata({ timeout: 200, maxRetries: 0 })(),
      ),
    ).rejects.toThrow();
    expect(a.requests).toHaveLength(1);
    expect(a.requests[0].status).toBeUndefined();
  });
});
