import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTokenFile } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEnv } from './http-util.js';
import { IamAccount } from './iam.js';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.js';
import { type StsEmulator, startSts } from './sts.js';
import { createTestCa, type TestCa } from './tls-ca.js';

const REGION = 'eu-west-1';
let ca: TestCa;
let issuer: OidcIssuer;
let iam: IamAccount;
let sts: StsEmulator;
let roleArn: string;
let dir: string;

const providerFor = () => ({
  url: issuer.issuerHost,
  clientIds: ['sts.amazonaws.com'],
  thumbprints: [ca.thumbprint],
});
const client = () => new STSClient({ region: REGION, endpoint: sts.url, maxAttempts: 1 });
const mint = (o: Partial<Parameters<OidcIssuer['mintToken']>[0]> = {}) =>
  issuer.mintToken({ namespace: 'camunda', serviceAccount: 'zeebe-sa', ...o });
const assume = async (token: string, arn = roleArn, c = client()) =>
  c.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: arn,
      RoleSessionName: 'test-session',
      WebIdentityToken: token,
    }),
  );
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  ca = await createTestCa();
  issuer = await startOidcIssuer({ ca });
  iam = new IamAccount();
  iam.addOidcProvider(providerFor());
  roleArn = iam.roleArn('irsa-doctor-app');
  iam.addRole({
    arn: roleArn,
    policies: [],
    trustPolicy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: iam.oidcProviderArn(issuer.issuerHost) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer.issuerHost}:sub`]: 'system:serviceaccount:camunda:zeebe-sa',
              [`${issuer.issuerHost}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    },
  });
  sts = await startSts({ iam, region: REGION, caCertPem: ca.caCertPem, idpTimeoutMs: 1000 });
  dir = mkdtempSync(join(tmpdir(), 'sts-test-'));
});
afterAll(async () => {
  await sts?.close();
  await issuer?.close();
  ca?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('STS emulator with the real @aws-sdk/client-sts', () => {
  it('exchanges a projected token for role credentials that GetCallerIdentity then recognises', async () => {
    const out = await assume(await mint());
    expect(out.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/irsa-doctor-app/test-session',
    );
    expect(out.SubjectFromWebIdentityToken).toBe('system:serviceaccount:camunda:zeebe-sa');
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('no credentials');
    const signed = new STSClient({
      region: REGION,
      endpoint: sts.url,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
    });
    const me = await signed.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Arn: out.AssumedRoleUser?.Arn,
      Account: '111122223333',
      UserId: out.AssumedRoleUser?.AssumedRoleId,
    });
    const last = sts.requests.at(-1);
    expect(last).toMatchObject({ action: 'GetCallerIdentity', status: 200, signedRegion: REGION });
    expect(
      sts.requests.find((r) => r.action === 'AssumeRoleWithWebIdentity')?.params.WebIdentityToken,
    ).toBeDefined();
  });

  it('works through fromTokenFile and through the default chain with AWS_ENDPOINT_URL_STS', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, await mint());
    const viaFile = await fromTokenFile({
      webIdentityTokenFile: tokenFile,
      roleArn,
      clientConfig: { region: REGION, endpoint: sts.url },
    })();
    expect(viaFile.accessKeyId).toMatch(/^ASIA/);
    const env = {
      AWS_ROLE_ARN: roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ROLE_SESSION_NAME: 'chain-session',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const creds = await withEnv(env, () => fromNodeProviderChain()());
    expect(iam.findCredentials(creds.accessKeyId)?.assumedRoleArn).toBe(
      'arn:aws:sts::111122223333:assumed-role/irsa-doctor-app/chain-session',
    );
  });

  it('answers each validation failure with the exception the SDK documents', async () => {
    const good = await mint();
    expect(await failure(assume(await mint({ audience: ['pods.eks.amazonaws.com'] })))).toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience',
      status: 400,
    });
    expect(
      await failure(assume(await mint({ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/NOPE' }))),
    ).toMatchObject({
      name: 'InvalidIdentityTokenException',
      message:
        'No OpenIDConnect provider found in your account for https://oidc.eks.eu-west-1.amazonaws.com/id/NOPE',
    });
    expect(await failure(assume(await mint({ signWithForeignKey: true })))).toMatchObject({
      name: 'InvalidIdentityTokenException',
    });
    expect(await failure(assume('not-a-jwt'))).toMatchObject({ name: 'InvalidIdentityTokenException' });
    const expired = await failure(assume(await mint({ expiresInSeconds: -60 })));
    expect(expired.name).toBe('ExpiredTokenException');
    expect(expired.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
    );
    expect(await failure(assume(await mint({ serviceAccount: 'other-sa' })))).toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      status: 403,
    });
    expect(await failure(assume(good, iam.roleArn('missing-role')))).toMatchObject({ name: 'AccessDenied' });
    expect(await failure(assume(good, 'arn:aws:iam::111122223333:role'))).toMatchObject({
      name: 'ValidationError',
      message: 'Request ARN is invalid',
    });
    const badSession = client().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'has space',
        WebIdentityToken: good,
      }),
    );
    expect(await failure(badSession)).toMatchObject({ name: 'ValidationError' });
  });

  it('checks the issuer certificate thumbprint and key rotation', async () => {
    iam.addOidcProvider({ ...providerFor(), thumbprints: ['0'.repeat(40)] });
    try {
      expect(await failure(assume(await mint()))).toMatchObject({
        name: 'InvalidIdentityTokenException',
        message: "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
      });
    } finally {
      iam.addOidcProvider(providerFor());
    }
    const old = await mint();
    await issuer.rotateKeys();
    expect(await failure(assume(old))).toMatchObject({ name: 'InvalidIdentityTokenException' });
    expect((await assume(await mint())).Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('reports an unreachable issuer as IDPCommunicationError, which the SDK retries 3 times', async () => {
    const token = await mint();
    const before = sts.requests.length;
    issuer.setDown(true);
    try {
      const c = new STSClient({ region: REGION, endpoint: sts.url });
      expect(await failure(assume(token, roleArn, c))).toMatchObject({
        name: 'IDPCommunicationErrorException',
        message:
          "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
      });
      expect(sts.requests.slice(before).map((r) => r.errorCode)).toEqual(
        Array(3).fill('IDPCommunicationError'),
      );
      issuer.setDown(true, 'close');
      expect(await failure(assume(token))).toMatchObject({ name: 'IDPCommunicationErrorException' });
    } finally {
      issuer.setDown(false);
    }
  });

  it('verifies GetCallerIdentity signatures, scope region and key', async () => {
    const creds = iam.issueCredentials(roleArn, 's', 'web-identity');
    const sdkCreds = {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    };
    const call = (region: string, credentials: typeof sdkCreds) =>
      new STSClient({ region, endpoint: sts.url, credentials, maxAttempts: 1 }).send(
        new GetCallerIdentityCommand({}),
      );
    expect(await failure(call('us-east-1', sdkCreds))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: 'Credential should be scoped to a valid region.',
      status: 403,
    });
    expect(await failure(call(REGION, { ...sdkCreds, secretAccessKey: 'wrong' }))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
    expect(await failure(call(REGION, { ...sdkCreds, accessKeyId: 'ASIAXXXXXXXXXXXXXXXX' }))).toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses everything when STS is not activated in the region', async () => {
    const off = await startSts({ iam, region: REGION, caCertPem: ca.caCertPem, disabled: true });
    try {
      const c = new STSClient({ region: REGION, endpoint: off.url, maxAttempts: 1 });
      expect(await failure(assume(await mint(), roleArn, c))).toMatchObject({
        name: 'RegionDisabledException',
        message: `STS is not activated in this region for account:111122223333. Your account administrator can activate STS in this region using the IAM Console.`,
        status: 403,
      });
    } finally {
      await off.close();
    }
  });
});
