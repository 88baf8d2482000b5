import {
  DescribeDBClusterEndpointsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsControlPlane, everyEmulatedRead, startAwsControlPlane } from './aws-control-plane.js';
import type { AuroraCluster } from './rds-api.js';
import { failure, withClient } from './sdk-env.js';

let cp: AwsControlPlane;
let aurora: AuroraCluster;
const rds = <T>(use: (c: RDSClient) => Promise<T>, env = cp.env) =>
  withClient(env, () => new RDSClient({}), use);

beforeAll(async () => {
  cp = await startAwsControlPlane({ operatorPolicy: everyEmulatedRead() });
  aurora = cp.rds.addAuroraCluster({
    identifier: 'camunda',
    resourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    instances: 2,
    databaseName: 'camunda',
    customEndpoints: [{ name: 'analytics', type: 'READER' }],
  });
  cp.rds.addAuroraCluster({ identifier: 'keycloak', iamAuth: false, endpoint: '127.0.0.1', port: 15432 });
  cp.rds.addDbInstance({ identifier: 'legacy-pg', iamAuth: true });
  cp.rds.addDbProxy({ name: 'camunda-proxy', iamAuth: 'REQUIRED' });
  cp.rds.addDbProxy({ name: 'open-proxy', iamAuth: 'DISABLED', requireTls: false });
});
afterAll(async () => {
  await cp?.close();
});

describe('DescribeDBClusters', () => {
  it('describes one Aurora cluster with its resource id, endpoints, IAM auth and members', async () => {
    const r = await rds((c) => c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'camunda' })));
    expect(r.DBClusters).toHaveLength(1);
    const c = r.DBClusters?.[0];
    expect(c).toMatchObject({
      DBClusterIdentifier: 'camunda',
      DbClusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      DBClusterArn: 'arn:aws:rds:eu-west-1:111122223333:cluster:camunda',
      Engine: 'aurora-postgresql',
      Status: 'available',
      Port: 5432,
      IAMDatabaseAuthenticationEnabled: true,
      Endpoint: aurora.endpoint,
      ReaderEndpoint: aurora.readerEndpoint,
      CustomEndpoints: [aurora.customEndpoints[0].host],
      DatabaseName: 'camunda',
    });
    expect(c?.Endpoint).toMatch(/^camunda\.cluster-[a-z0-9]{12}\.eu-west-1\.rds\.amazonaws\.com$/);
    expect(c?.ReaderEndpoint).toMatch(/^camunda\.cluster-ro-/);
    expect(c?.DBClusterMembers).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: 'camunda-instance-1', IsClusterWriter: true }),
      expect.objectContaining({ DBInstanceIdentifier: 'camunda-instance-2', IsClusterWriter: false }),
    ]);
    expect(c?.VpcSecurityGroups?.[0].VpcSecurityGroupId).toMatch(/^sg-/);
  });

  it('lists every cluster without an identifier, and filters by db-cluster-id', async () => {
    const all = await rds((c) => c.send(new DescribeDBClustersCommand({})));
    expect(
      all.DBClusters?.map((x) => [x.DBClusterIdentifier, x.IAMDatabaseAuthenticationEnabled, x.Port]),
    ).toEqual([
      ['camunda', true, 5432],
      ['keycloak', false, 15432],
    ]);
    const filtered = await rds((c) =>
      c.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['keycloak'] }] })),
    );
    expect(filtered.DBClusters?.map((x) => x.Endpoint)).toEqual(['127.0.0.1']);
  });

  it('answers DBClusterNotFoundFault (404) for an unknown cluster and accepts the ARN as identifier', async () => {
    const e = await failure(
      rds((c) => c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'absent' }))),
    );
    expect(e).toMatchObject({
      name: 'DBClusterNotFoundFault',
      status: 404,
      message: 'DBCluster absent not found.',
    });
    const byArn = await rds((c) =>
      c.send(
        new DescribeDBClustersCommand({
          DBClusterIdentifier: 'arn:aws:rds:eu-west-1:111122223333:cluster:camunda',
        }),
      ),
    );
    expect(byArn.DBClusters?.[0].DBClusterIdentifier).toBe('camunda');
    const bad = await failure(
      rds((c) => c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'a--b' }))),
    );
    expect(bad).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
  });

  it('answers the custom, writer and reader endpoints', async () => {
    const r = await rds((c) =>
      c.send(new DescribeDBClusterEndpointsCommand({ DBClusterIdentifier: 'camunda' })),
    );
    expect(r.DBClusterEndpoints?.map((e) => [e.EndpointType, e.CustomEndpointType])).toEqual([
      ['WRITER', undefined],
      ['READER', undefined],
      ['CUSTOM', 'READER'],
    ]);
    expect(r.DBClusterEndpoints?.[2]).toMatchObject({
      DBClusterEndpointIdentifier: 'analytics',
      StaticMembers: ['camunda-instance-1', 'camunda-instance-2'],
    });
  });
});

describe('DescribeDBInstances', () => {
  it('answers the instance resource id (db-...) and endpoint, for Aurora members and plain RDS', async () => {
    const plain = await rds((c) =>
      c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'legacy-pg' })),
    );
    expect(plain.DBInstances?.[0]).toMatchObject({
      DBInstanceIdentifier: 'legacy-pg',
      Engine: 'postgres',
      IAMDatabaseAuthenticationEnabled: true,
      Endpoint: { Port: 5432 },
    });
    expect(plain.DBInstances?.[0].DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
    expect(plain.DBInstances?.[0].DBClusterIdentifier).toBeUndefined();
    const members = await rds((c) =>
      c.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['camunda'] }] })),
    );
    expect(
      members.DBInstances?.map((i) => [i.DBInstanceIdentifier, i.DBClusterIdentifier, i.Engine]),
    ).toEqual([
      ['camunda-instance-1', 'camunda', 'aurora-postgresql'],
      ['camunda-instance-2', 'camunda', 'aurora-postgresql'],
    ]);
  });

  it('answers DBInstanceNotFound (404)', async () => {
    const e = await failure(
      rds((c) => c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'absent' }))),
    );
    expect(e).toMatchObject({ name: 'DBInstanceNotFoundFault', code: 'DBInstanceNotFound', status: 404 });
  });
});

describe('DescribeDBProxies', () => {
  it('answers the endpoint, RequireTLS and the IAM auth setting', async () => {
    const r = await rds((c) => c.send(new DescribeDBProxiesCommand({})));
    expect(
      r.DBProxies?.map((p) => [p.DBProxyName, p.RequireTLS, p.Auth?.[0].IAMAuth, p.EngineFamily]),
    ).toEqual([
      ['camunda-proxy', true, 'REQUIRED', 'POSTGRESQL'],
      ['open-proxy', false, 'DISABLED', 'POSTGRESQL'],
    ]);
    expect(r.DBProxies?.[0].Endpoint).toMatch(
      /^camunda-proxy\.proxy-[a-z0-9]{12}\.eu-west-1\.rds\.amazonaws\.com$/,
    );
    expect(r.DBProxies?.[0].DBProxyArn).toMatch(
      /^arn:aws:rds:eu-west-1:111122223333:db-proxy:prx-[0-9a-f]{17}$/,
    );
  });

  it('answers DBProxyNotFoundFault (404)', async () => {
    const e = await failure(rds((c) => c.send(new DescribeDBProxiesCommand({ DBProxyName: 'absent' }))));
    expect(e).toMatchObject({ name: 'DBProxyNotFoundFault', status: 404 });
  });
});

describe('authorization', () => {
  it('answers AccessDenied scoped to the cluster ARN the operator may not describe', async () => {
    cp.operator.deny('rds:DescribeDBClusters', 'arn:aws:rds:eu-west-1:111122223333:cluster:keycloak');
    try {
      await rds((c) => c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'camunda' })));
      const e = await failure(
        rds((c) => c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'keycloak' }))),
      );
      expect(e).toMatchObject({
        code: 'AccessDenied',
        status: 403,
        message:
          'User: arn:aws:iam::111122223333:user/operator is not authorized to perform: rds:DescribeDBClusters on resource: arn:aws:rds:eu-west-1:111122223333:cluster:keycloak with an explicit deny in an identity-based policy',
      });
    } finally {
      cp.operator.policy.Statement.pop();
    }
  });

  it('answers InvalidClientTokenId and SignatureDoesNotMatch with the Query error shape', async () => {
    const unknown = await failure(
      rds((c) => c.send(new DescribeDBClustersCommand({})), {
        ...cp.env,
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000',
      }),
    );
    expect(unknown).toMatchObject({ code: 'InvalidClientTokenId', status: 403 });
    const bad = await failure(
      rds((c) => c.send(new DescribeDBClustersCommand({})), { ...cp.env, AWS_SECRET_ACCESS_KEY: 'x' }),
    );
    expect(bad).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });
});
