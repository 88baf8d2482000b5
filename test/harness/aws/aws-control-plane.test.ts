import { execFile } from 'node:child_process';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../eks-stack.js';
import {
  type AwsControlPlane,
  everyEmulatedRead,
  iamSigningRegion,
  startAwsControlPlane,
} from './aws-control-plane.js';
import { failure, isolated, withClient } from './sdk-env.js';

let stack: EksStack;
let cp: AwsControlPlane;

beforeAll(async () => {
  stack = await startEksStack();
  cp = await startAwsControlPlane({
    operatorPolicy: everyEmulatedRead(),
    stack,
    tls: true,
    clusterEndpoint: 'https://127.0.0.1:6443',
  });
  cp.rds.addAuroraCluster({ identifier: 'camunda' });
  cp.openSearch.addDomain({ name: 'camunda' });
});
afterAll(async () => {
  await cp?.close();
  await stack?.close();
});

/** Runs a module in a fresh Node process whose only configuration is `env` (CA included). */
function runNode(script: string, env: Record<string, string>): Promise<string> {
  const clean = Object.fromEntries(
    Object.entries(isolated(env)).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: process.cwd(), env: { ...clean, PATH: process.env.PATH ?? '' }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
}

describe('startAwsControlPlane', () => {
  it('serves all seven services to a fresh process configured by its env alone, over HTTPS', async () => {
    expect(cp.env.AWS_ENDPOINT_URL_IAM).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cp.env.NODE_EXTRA_CA_CERTS).toBe(stack.ca.caFile);
    const script = `
      import { IAMClient, GetRoleCommand } from '@aws-sdk/client-iam';
      import { EKSClient, DescribeClusterCommand } from '@aws-sdk/client-eks';
      import { RDSClient, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
      import { OpenSearchClient, ListDomainNamesCommand } from '@aws-sdk/client-opensearch';
      import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
      import { EC2Client, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
      import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
      const out = {
        role: (await new IAMClient({ region: 'us-east-1' }).send(new GetRoleCommand({ RoleName: 'irsa-doctor-app' }))).Role.Arn,
        issuer: (await new EKSClient({}).send(new DescribeClusterCommand({ name: 'irsa-doctor' }))).cluster.identity.oidc.issuer,
        resourceId: (await new RDSClient({}).send(new DescribeDBClustersCommand({}))).DBClusters[0].DbClusterResourceId,
        domains: (await new OpenSearchClient({}).send(new ListDomainNamesCommand({}))).DomainNames.length,
        events: (await new CloudTrailClient({}).send(new LookupEventsCommand({}))).Events.length,
        hopLimit: (await new EC2Client({}).send(new DescribeInstancesCommand({}))).Reservations[0].Instances[0].MetadataOptions.HttpPutResponseHopLimit,
        me: (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn,
      };
      console.log(JSON.stringify(out));`;
    expect(JSON.parse(await runNode(script, cp.env))).toEqual({
      role: stack.roleArn,
      issuer: stack.issuer.issuerUrl,
      resourceId: cp.rds.clusters.get('camunda')?.resourceId,
      domains: 1,
      events: 0,
      hopLimit: 1,
      me: 'arn:aws:iam::111122223333:user/operator',
    });
  });

  it("shares the stack's account: its provider, role, cluster issuer and node", async () => {
    const providers = await withClient(
      cp.env,
      () =>
        new IAMClient({
          region: iamSigningRegion(cp.partition),
          requestHandler: { httpsAgent: { ca: stack.ca.caCertPem } },
        }),
      (c) => c.send(new ListOpenIDConnectProvidersCommand({})),
    );
    expect(providers.OpenIDConnectProviderList?.map((p) => p.Arn)).toEqual([
      stack.iam.oidcProviderArn(stack.issuer.issuerHost),
    ]);
    const { cluster } = await withClient(
      cp.env,
      () => new EKSClient({ requestHandler: { httpsAgent: { ca: stack.ca.caCertPem } } }),
      (c) => c.send(new DescribeClusterCommand({ name: 'irsa-doctor' })),
    );
    expect(cluster).toMatchObject({
      endpoint: 'https://127.0.0.1:6443',
      identity: { oidc: { issuer: stack.issuer.issuerUrl } },
    });
    expect(cp.node).toMatchObject({
      instanceId: stack.imds.instanceId,
      metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 1 },
      iamInstanceProfile: { arn: stack.nodeRoleArn.replace(':role/', ':instance-profile/') },
    });
    // A grant made through the stack is what the simulator sees.
    const db = `arn:aws:rds-db:eu-west-1:111122223333:dbuser:${cp.rds.clusters.get('camunda')?.resourceId}/zeebe`;
    stack.allow('rds-db:connect', db);
    const sim = await withClient(
      cp.env,
      () =>
        new IAMClient({ region: 'us-east-1', requestHandler: { httpsAgent: { ca: stack.ca.caCertPem } } }),
      (c) =>
        c.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: stack.roleArn,
            ActionNames: ['rds-db:connect'],
            ResourceArns: [db],
          }),
        ),
    );
    expect(sim.EvaluationResults?.[0].EvalDecision).toBe('allowed');
  });
});

describe('an OIDC provider in another account', () => {
  it('is not found by STS for the role, and the refusal is in the trail', async () => {
    const provider = stack.iam.findOidcProvider(stack.issuer.issuerHost);
    if (!provider) throw new Error('the stack registers its provider');
    stack.iam.removeOidcProvider(stack.issuer.issuerHost);
    stack.iam.addOidcProvider({ ...provider, accountId: '444455556666' });
    try {
      const token = await stack.issuer.mintToken({ namespace: 'camunda', serviceAccount: 'zeebe-sa' });
      const e = await failure(
        withClient(
          cp.env,
          () => new STSClient({}),
          (c) =>
            c.send(
              new AssumeRoleWithWebIdentityCommand({
                RoleArn: stack.roleArn,
                RoleSessionName: 'x-acct',
                WebIdentityToken: token,
              }),
            ),
        ),
      );
      expect(e).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400 });
      expect(e.message).toBe(`No OpenIDConnect provider found in your account for ${stack.issuer.issuerUrl}`);
      const [event] = cp.cloudTrail.events.slice(-1);
      expect(event.record).toMatchObject({
        errorCode: 'InvalidIdentityTokenException',
        requestParameters: { roleSessionName: 'x-acct' },
        userIdentity: { type: 'WebIdentityUser', identityProvider: stack.issuer.issuerHost },
      });
    } finally {
      stack.iam.removeOidcProvider(stack.issuer.issuerHost, '444455556666');
      stack.iam.addOidcProvider(provider);
    }
  });
});

describe('blackhole', () => {
  it('makes one service accept connections and never answer, while the others keep working', async () => {
    const plain = await startAwsControlPlane({ operatorPolicy: everyEmulatedRead() });
    try {
      plain.rds.addAuroraCluster({ identifier: 'camunda' });
      const rds = (timeoutMs: number) => () =>
        new RDSClient({
          // requestTimeout alone only logs a warning (see src/agent/aws/sdk-options.ts)
          requestHandler: {
            requestTimeout: timeoutMs,
            connectionTimeout: timeoutMs,
            throwOnRequestTimeout: true,
          },
        });
      await plain.blackhole('rds');
      const started = Date.now();
      const e = await failure(
        withClient(plain.env, rds(400), (c) => c.send(new DescribeDBClustersCommand({}))),
      );
      expect(e.name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(5000);
      const me = await withClient(
        plain.env,
        () => new STSClient({}),
        (c) => c.send(new GetCallerIdentityCommand({})),
      );
      expect(me.Arn).toBe(plain.operator.arn);
      plain.restore('rds');
      const r = await withClient(plain.env, rds(2000), (c) => c.send(new DescribeDBClustersCommand({})));
      expect(r.DBClusters).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});

describe('partitions', () => {
  it('aws-cn: ARNs in aws-cn, IAM signed for cn-north-1, endpoints under amazonaws.com.cn', async () => {
    const cn = await startAwsControlPlane({
      operatorPolicy: everyEmulatedRead(),
      partition: 'aws-cn',
      region: 'cn-northwest-1',
    });
    try {
      cn.iam.addRole({
        arn: cn.iam.roleArn('app', '/camunda/'),
        trustPolicy: { Statement: [] },
        policies: [],
      });
      const aurora = cn.rds.addAuroraCluster({ identifier: 'camunda' });
      expect(iamSigningRegion('aws-cn')).toBe('cn-north-1');
      const role = await withClient(
        cn.env,
        () => new IAMClient({ region: 'cn-north-1' }),
        (c) => c.send(new GetRoleCommand({ RoleName: 'app' })),
      );
      expect(role.Role?.Arn).toBe('arn:aws-cn:iam::111122223333:role/camunda/app');
      const wrong = await failure(
        withClient(
          cn.env,
          () => new IAMClient({ region: 'us-east-1' }),
          (c) => c.send(new GetRoleCommand({ RoleName: 'app' })),
        ),
      );
      expect(wrong).toMatchObject({ code: 'SignatureDoesNotMatch' });
      const db = await withClient(
        cn.env,
        () => new RDSClient({}),
        (c) => c.send(new DescribeDBClustersCommand({})),
      );
      expect(db.DBClusters?.[0]).toMatchObject({
        DBClusterArn: 'arn:aws-cn:rds:cn-northwest-1:111122223333:cluster:camunda',
        Endpoint: aurora.endpoint,
      });
      expect(aurora.endpoint).toMatch(/\.cn-northwest-1\.rds\.amazonaws\.com\.cn$/);
      const me = await withClient(
        cn.env,
        () => new STSClient({}),
        (c) => c.send(new GetCallerIdentityCommand({})),
      );
      expect(me.Arn).toBe('arn:aws-cn:iam::111122223333:user/operator');
    } finally {
      await cn.close();
    }
  });

  it('aws-us-gov: IAM signed for us-gov-west-1 while the services live in us-gov-east-1', async () => {
    const gov = await startAwsControlPlane({
      operatorPolicy: everyEmulatedRead(),
      partition: 'aws-us-gov',
      region: 'us-gov-east-1',
      accountId: '444455556666',
    });
    try {
      gov.eks.addCluster({ name: 'camunda' });
      const { cluster } = await withClient(
        gov.env,
        () => new EKSClient({}),
        (c) => c.send(new DescribeClusterCommand({ name: 'camunda' })),
      );
      expect(cluster?.arn).toBe('arn:aws-us-gov:eks:us-gov-east-1:444455556666:cluster/camunda');
      const providers = await withClient(
        gov.env,
        () => new IAMClient({ region: iamSigningRegion('aws-us-gov') }),
        (c) => c.send(new ListOpenIDConnectProvidersCommand({})),
      );
      expect(providers.OpenIDConnectProviderList).toEqual([]);
    } finally {
      await gov.close();
    }
  });
});
