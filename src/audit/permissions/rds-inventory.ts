// The Aurora clusters, RDS instances and RDS Proxies of the region, each listed once per audit however
// many ServiceAccounts and --postgres endpoints ask: an endpoint is found by its host name among them.

import type { DBCluster, DBInstance, DBProxy, RDSClient } from '@aws-sdk/client-rds';
import { type AuditContext, sweepFact } from '../audit-context.js';
import type { AuditAction } from '../aws/audit-actions.js';
import type { AwsSdks } from '../aws/audit-aws.js';
import type { AwsResult } from '../aws/aws-result.js';
import { normaliseHost } from './normalise-host.js';

export interface RdsCluster {
  identifier: string;
  /** cluster-XXXX: what rds-db:connect names for every endpoint of the cluster */
  resourceId: string;
  arn?: string;
  engine?: string;
  writer?: string;
  reader?: string;
  custom: string[];
  port?: number;
  iamAuth: boolean;
}

export interface RdsInstance {
  identifier: string;
  /** db-XXXX: what rds-db:connect names for a stand-alone instance */
  resourceId: string;
  arn?: string;
  engine?: string;
  address?: string;
  port?: number;
  iamAuth: boolean;
  /** set for an Aurora member: its cluster's resource id and setting are the ones that count */
  clusterIdentifier?: string;
}

export interface RdsProxy {
  name: string;
  arn: string;
  /** prx-XXXX, the last part of the proxy ARN: what rds-db:connect names for clients of the proxy */
  resourceId: string;
  engineFamily?: string;
  endpoint?: string;
  /** the proxy accepts IAM authentication from clients */
  iamAuth: boolean;
  /** the secret of the first Auth entry, for the fix that requires IAM */
  secretArn?: string;
}

/** RDS pages with Marker; a region rarely holds more than a few pages of databases. */
const MAX_PAGES = 50;

async function allPages<T>(
  ctx: AuditContext,
  action: AuditAction,
  page: (
    rds: RDSClient,
    marker: string | undefined,
    abortSignal: AbortSignal,
    sdk: AwsSdks['rds'],
  ) => Promise<{ items: T[]; marker?: string | undefined }>,
): Promise<AwsResult<T[]>> {
  const out: T[] = [];
  let marker: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await ctx.sweep.aws.call('rds', action, (rds, abortSignal, sdk) =>
      page(rds, marker, abortSignal, sdk),
    );
    if (!r.ok) return r;
    out.push(...r.value.items);
    marker = r.value.marker;
    if (!marker) break;
  }
  return { ok: true, value: out };
}

export const rdsClusters = sweepFact('rds-clusters', (ctx) =>
  allPages(ctx, 'rds:DescribeDBClusters', async (rds, Marker, abortSignal, { DescribeDBClustersCommand }) => {
    const r = await rds.send(new DescribeDBClustersCommand({ Marker, MaxRecords: 100 }), { abortSignal });
    return { items: (r.DBClusters ?? []).flatMap(clusterOf), marker: r.Marker };
  }),
);

export const rdsInstances = sweepFact('rds-instances', (ctx) =>
  allPages(
    ctx,
    'rds:DescribeDBInstances',
    async (rds, Marker, abortSignal, { DescribeDBInstancesCommand }) => {
      const r = await rds.send(new DescribeDBInstancesCommand({ Marker, MaxRecords: 100 }), { abortSignal });
      return { items: (r.DBInstances ?? []).flatMap(instanceOf), marker: r.Marker };
    },
  ),
);

export const rdsProxies = sweepFact('rds-proxies', (ctx) =>
  allPages(ctx, 'rds:DescribeDBProxies', async (rds, Marker, abortSignal, { DescribeDBProxiesCommand }) => {
    const r = await rds.send(new DescribeDBProxiesCommand({ Marker, MaxRecords: 100 }), { abortSignal });
    return { items: (r.DBProxies ?? []).flatMap(proxyOf), marker: r.Marker };
  }),
);

const host = (h: string | undefined) => (h ? normaliseHost(h) : undefined);

function clusterOf(c: DBCluster): RdsCluster[] {
  if (!c.DBClusterIdentifier || !c.DbClusterResourceId) return [];
  return [
    {
      identifier: c.DBClusterIdentifier,
      resourceId: c.DbClusterResourceId,
      ...(c.DBClusterArn ? { arn: c.DBClusterArn } : {}),
      ...(c.Engine ? { engine: c.Engine } : {}),
      ...(c.Endpoint ? { writer: host(c.Endpoint) } : {}),
      ...(c.ReaderEndpoint ? { reader: host(c.ReaderEndpoint) } : {}),
      custom: (c.CustomEndpoints ?? []).map(normaliseHost),
      ...(c.Port ? { port: c.Port } : {}),
      iamAuth: c.IAMDatabaseAuthenticationEnabled === true,
    },
  ];
}

function instanceOf(i: DBInstance): RdsInstance[] {
  if (!i.DBInstanceIdentifier || !i.DbiResourceId) return [];
  return [
    {
      identifier: i.DBInstanceIdentifier,
      resourceId: i.DbiResourceId,
      ...(i.DBInstanceArn ? { arn: i.DBInstanceArn } : {}),
      ...(i.Engine ? { engine: i.Engine } : {}),
      ...(i.Endpoint?.Address ? { address: host(i.Endpoint.Address) } : {}),
      ...(i.Endpoint?.Port ? { port: i.Endpoint.Port } : {}),
      iamAuth: i.IAMDatabaseAuthenticationEnabled === true,
      ...(i.DBClusterIdentifier ? { clusterIdentifier: i.DBClusterIdentifier } : {}),
    },
  ];
}

function proxyOf(x: DBProxy): RdsProxy[] {
  const resourceId = /:db-proxy:(prx-[A-Za-z0-9]+)$/.exec(x.DBProxyArn ?? '')?.[1];
  if (!x.DBProxyName || !x.DBProxyArn || !resourceId) return [];
  const auth = x.Auth ?? [];
  const secretArn = auth.find((a) => a.SecretArn)?.SecretArn;
  return [
    {
      name: x.DBProxyName,
      arn: x.DBProxyArn,
      resourceId,
      ...(x.EngineFamily ? { engineFamily: x.EngineFamily } : {}),
      ...(x.Endpoint ? { endpoint: host(x.Endpoint) } : {}),
      // End-to-end IAM (IAM_AUTH) or an Auth entry that asks clients for IAM tokens.
      iamAuth:
        x.DefaultAuthScheme === 'IAM_AUTH' ||
        auth.some((a) => a.IAMAuth === 'REQUIRED' || a.IAMAuth === 'ENABLED'),
      ...(secretArn ? { secretArn } : {}),
    },
  ];
}
