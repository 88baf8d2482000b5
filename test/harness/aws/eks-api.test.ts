import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsControlPlane, startAwsControlPlane } from './aws-control-plane.js';
import { failure, signedRequest, withClient } from './sdk-env.js';

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C0FFEE5C0FFEE5C0FFEE5C0FFEE5C0F';
let cp: AwsControlPlane;
const eks = <T>(use: (c: EKSClient) => Promise<T>, env = cp.env) =>
  withClient(env, () => new EKSClient({}), use);

beforeAll(async () => {
  cp = await startAwsControlPlane();
  cp.eks.addCluster({
    name: 'camunda',
    issuer: ISSUER,
    version: '1.31',
    caPem: '-----BEGIN CERTIFICATE-----\n',
  });
  cp.eks.addCluster({ name: 'legacy', version: '1.29' });
  for (let i = 0; i < 5; i++)
    cp.eks.addPodIdentityAssociation({
      clusterName: 'camunda',
      namespace: i < 4 ? 'camunda' : 'other',
      serviceAccount: `sa-${i}`,
      roleArn: cp.iam.roleArn(`role-${i}`),
    });
});
afterAll(async () => {
  await cp?.close();
});

describe('clusters', () => {
  it('lists and describes a cluster with its OIDC issuer, endpoint and CA', async () => {
    const list = await eks((c) => c.send(new ListClustersCommand({})));
    expect(list.clusters).toEqual(['camunda', 'legacy']);
    const { cluster } = await eks((c) => c.send(new DescribeClusterCommand({ name: 'camunda' })));
    expect(cluster).toMatchObject({
      name: 'camunda',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/camunda',
      version: '1.31',
      status: 'ACTIVE',
      identity: { oidc: { issuer: ISSUER } },
      certificateAuthority: { data: Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64') },
    });
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    const legacy = await eks((c) => c.send(new DescribeClusterCommand({ name: 'legacy' })));
    expect(legacy.cluster?.identity).toBeUndefined();
  });

  it('answers ResourceNotFoundException (404) with the real body and x-amzn-errortype', async () => {
    const e = await failure(eks((c) => c.send(new DescribeClusterCommand({ name: 'absent' }))));
    expect(e).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'No cluster found for name: absent.',
    });
    expect(e.raw.clusterName).toBe('absent');
    // The raw answer, signed by aws4 (an independent signer): code in the header, fields in the body.
    const raw = await signedRequest(cp.env.AWS_ENDPOINT_URL_EKS, {
      path: '/clusters/absent',
      service: 'eks',
      region: cp.region,
      credentials: cp.operator.credentials,
    });
    expect(raw.status).toBe(404);
    expect(raw.headers['x-amzn-errortype']).toMatch(/^ResourceNotFoundException:/);
    expect(JSON.parse(raw.body)).toEqual({
      clusterName: 'absent',
      message: 'No cluster found for name: absent.',
    });
  });

  it('pages ListClusters with maxResults and nextToken, and refuses a bad maxResults', async () => {
    const first = await eks((c) => c.send(new ListClustersCommand({ maxResults: 1 })));
    expect(first.clusters).toEqual(['camunda']);
    const second = await eks((c) =>
      c.send(new ListClustersCommand({ maxResults: 1, nextToken: first.nextToken })),
    );
    expect(second.clusters).toEqual(['legacy']);
    expect(second.nextToken).toBeUndefined();
    const bad = await failure(eks((c) => c.send(new ListClustersCommand({ maxResults: 101 }))));
    expect(bad).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('pod identity associations', () => {
  it('filters by namespace and service account', async () => {
    const r = await eks((c) =>
      c.send(
        new ListPodIdentityAssociationsCommand({
          clusterName: 'camunda',
          namespace: 'camunda',
          serviceAccount: 'sa-2',
        }),
      ),
    );
    expect(r.associations).toHaveLength(1);
    expect(r.associations?.[0]).toMatchObject({
      clusterName: 'camunda',
      namespace: 'camunda',
      serviceAccount: 'sa-2',
    });
    expect(r.associations?.[0].associationId).toMatch(/^a-[a-z0-9]{17}$/);
    const other = await eks((c) =>
      c.send(new ListPodIdentityAssociationsCommand({ clusterName: 'camunda', namespace: 'other' })),
    );
    expect(other.associations?.map((a) => a.serviceAccount)).toEqual(['sa-4']);
  });

  it('pages through every association', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const r = await eks((c) =>
        c.send(new ListPodIdentityAssociationsCommand({ clusterName: 'camunda', maxResults: 2, nextToken })),
      );
      seen.push(...(r.associations ?? []).map((a) => a.serviceAccount ?? ''));
      nextToken = r.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(['sa-0', 'sa-1', 'sa-2', 'sa-3', 'sa-4']);
  });

  it('describes one association with its role, and 404s an unknown id or cluster', async () => {
    const [a] = [...cp.eks.associations.values()];
    const r = await eks((c) =>
      c.send(
        new DescribePodIdentityAssociationCommand({ clusterName: 'camunda', associationId: a.associationId }),
      ),
    );
    expect(r.association).toMatchObject({
      roleArn: cp.iam.roleArn('role-0'),
      associationArn: `arn:aws:eks:eu-west-1:111122223333:podidentityassociation/camunda/${a.associationId}`,
      disableSessionTags: false,
    });
    const unknown = await failure(
      eks((c) =>
        c.send(new DescribePodIdentityAssociationCommand({ clusterName: 'camunda', associationId: 'a-0' })),
      ),
    );
    expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const noCluster = await failure(
      eks((c) => c.send(new ListPodIdentityAssociationsCommand({ clusterName: 'absent' }))),
    );
    expect(noCluster).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: absent.',
    });
  });
});

describe('authentication and authorization', () => {
  it('answers AccessDeniedException for an operator without eks:DescribeCluster', async () => {
    cp.operator.revoke('eks:DescribeCluster');
    try {
      const e = await failure(eks((c) => c.send(new DescribeClusterCommand({ name: 'camunda' }))));
      expect(e).toMatchObject({
        name: 'AccessDeniedException',
        status: 403,
        message:
          'User: arn:aws:iam::111122223333:user/operator is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-1:111122223333:cluster/camunda because no identity-based policy allows the eks:DescribeCluster action',
      });
    } finally {
      cp.operator.grant('eks:DescribeCluster');
    }
  });

  it('answers UnrecognizedClientException for an unknown key and InvalidSignatureException for a bad one', async () => {
    const unknown = await failure(
      eks((c) => c.send(new ListClustersCommand({})), {
        ...cp.env,
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000',
      }),
    );
    expect(unknown).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
    const bad = await failure(
      eks((c) => c.send(new ListClustersCommand({})), { ...cp.env, AWS_SECRET_ACCESS_KEY: 'wrong' }),
    );
    expect(bad).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    const otherRegion = await failure(
      eks((c) => c.send(new ListClustersCommand({})), { ...cp.env, AWS_REGION: 'us-west-2' }),
    );
    expect(otherRegion.name).toBe('InvalidSignatureException');
    expect(otherRegion.message).toContain("Credential should be scoped to a valid region, not 'us-west-2'");
  });
});
