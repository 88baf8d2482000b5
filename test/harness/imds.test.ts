import { join } from 'node:path';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { withEnv } from './http-util.js';
import { IamAccount } from './iam.js';
import { type ImdsEmulator, type ImdsMode, startImds } from './imds.js';

const iam = new IamAccount();
const nodeRoleArn = iam.roleArn('eksctl-camunda-NodeInstanceRole-1ABC');
let imds: ImdsEmulator | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

async function credsVia(mode: ImdsMode, env: Record<string, string | undefined> = {}) {
  imds = await startImds({ iam, nodeRoleArn, mode });
  const url = imds.url;
  return withEnv(
    {
      AWS_EC2_METADATA_SERVICE_ENDPOINT: url,
      AWS_EC2_METADATA_V1_DISABLED: undefined,
      AWS_CONFIG_FILE: join('/nonexistent', 'config'),
      AWS_PROFILE: undefined,
      ...env,
    },
    () => fromInstanceMetadata({ timeout: 300 })(),
  );
}

describe('IMDS emulator with the real SDK provider', () => {
  it('v2: token PUT then GETs carrying the token return the node role', async () => {
    const c = await credsVia('v2');
    expect(iam.findCredentials(c.accessKeyId)).toMatchObject({
      source: 'imds',
      assumedRoleArn:
        'arn:aws:sts::111122223333:assumed-role/eksctl-camunda-NodeInstanceRole-1ABC/i-0abc1234def567890',
    });
    expect(imds?.requests.map((r) => [r.method, r.path, r.withToken, r.status])).toEqual([
      ['PUT', '/latest/api/token', false, 200],
      ['GET', '/latest/meta-data/iam/security-credentials/', true, 200],
      ['GET', '/latest/meta-data/iam/security-credentials/eksctl-camunda-NodeInstanceRole-1ABC', true, 200],
    ]);
  });

  it('hop-limit: the PUT never answers, the SDK falls back to v1 and silently gets the node role', async () => {
    const c = await credsVia('hop-limit');
    expect(iam.findCredentials(c.accessKeyId)?.roleArn).toBe(nodeRoleArn);
    expect(imds?.requests[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
    expect(imds?.requests[0].status).toBeUndefined();
    expect(imds?.requests.slice(1).every((r) => !r.withToken && r.status === 200)).toBe(true);
  });

  it('hop-limit with v1 disabled on the instance: no credentials', async () => {
    await expect(credsVia('hop-limit-v1-disabled')).rejects.toThrow();
    expect(imds?.requests.some((r) => r.status === 401)).toBe(true);
  });

  it('hop-limit with AWS_EC2_METADATA_V1_DISABLED in the pod: the SDK refuses to fall back', async () => {
    await expect(credsVia('hop-limit', { AWS_EC2_METADATA_V1_DISABLED: 'true' })).rejects.toThrow(
      /v1 fallback has been blocked/,
    );
  });

  it('v1-only: 404 on the token endpoint, credentials over plain GETs', async () => {
    const c = await credsVia('v1-only');
    expect(c.sessionToken).toBe(iam.findCredentials(c.accessKeyId)?.sessionToken);
    expect(imds?.requests[0]).toMatchObject({ method: 'PUT', status: 404 });
  });

  it('v2-only answers 401 to tokenless GETs and serves region and instance id', async () => {
    imds = await startImds({ iam, nodeRoleArn, mode: 'v2-only', region: 'eu-central-1' });
    expect((await fetch(`${imds.url}/latest/meta-data/instance-id`)).status).toBe(401);
    const token = await (
      await fetch(`${imds.url}/latest/api/token`, {
        method: 'PUT',
        headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
      })
    ).text();
    const h = { 'x-aws-ec2-metadata-token': token };
    expect(await (await fetch(`${imds.url}/latest/meta-data/placement/region`, { headers: h })).text()).toBe(
      'eu-central-1',
    );
    expect(await (await fetch(`${imds.url}/latest/meta-data/instance-id`, { headers: h })).text()).toBe(
      'i-0abc1234def567890',
    );
    const body = JSON.parse(
      await (
        await fetch(
          `${imds.url}/latest/meta-data/iam/security-credentials/eksctl-camunda-NodeInstanceRole-1ABC`,
          { headers: h },
        )
      ).text(),
    );
    expect(body).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    expect(Object.keys(body)).toEqual([
      'Code',
      'LastUpdated',
      'Type',
      'AccessKeyId',
      'SecretAccessKey',
      'Token',
      'Expiration',
    ]);
    expect(
      (
        await fetch(`${imds.url}/latest/meta-data/iam/security-credentials/x`, {
          headers: { 'x-aws-ec2-metadata-token': 'bogus' },
        })
      ).status,
    ).toBe(401);
  });
});
