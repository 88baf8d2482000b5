import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { withDeadline } from '../../lib/deadline.js';
import { loadCommonJs } from '../../lib/load-common-js.js';
import { ProxyRouter } from '../../lib/proxy/proxy-router.js';
import { agentSdk } from '../aws/agent-sdk.js';
import type { RdsHostInfo } from './parse-postgres-target.js';

export interface ClusterFacts {
  kind: 'cluster' | 'instance';
  identifier: string;
  /** `cluster-XXXX` / `db-XXXX`: what the rds-db:connect resource must name. */
  resourceId?: string;
  iamAuthEnabled?: boolean;
  endpoints: string[];
  port?: number;
}

export type ClusterLookup =
  | { ok: true; facts: ClusterFacts }
  | { ok: false; reason: 'access-denied' | 'not-found' | 'unreachable' | 'not-attempted'; detail: string };

export interface LookupOptions {
  host: string;
  port: number;
  region: string;
  hostInfo: RdsHostInfo | undefined;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  env: Readonly<Record<string, string | undefined>>;
  deadlineMs: number;
  signal?: AbortSignal;
}

/**
 * Asks RDS for the cluster's resource id and IAM-auth flag, to narrow a PAM failure down. Bounded:
 * one attempt, one deadline. By identifier when the host name carries one; otherwise only when an
 * RDS endpoint is configured (AWS_ENDPOINT_URL_RDS), listing clusters and matching the endpoint.
 */
export async function describeRdsCluster(o: LookupOptions): Promise<ClusterLookup> {
  const kind = o.hostInfo?.kind;
  const byId = kind === 'cluster' || kind === 'cluster-ro' || kind === 'instance';
  const ignore = (o.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  const endpointOverride = !ignore && Boolean(o.env.AWS_ENDPOINT_URL_RDS || o.env.AWS_ENDPOINT_URL);
  if (!byId && !endpointOverride) {
    const why =
      kind === undefined
        ? `${o.host} is not an RDS endpoint name, so the cluster is unknown`
        : `a ${kind} endpoint does not name its cluster`;
    return { ok: false, reason: 'not-attempted', detail: why };
  }
  // Loaded on first use: most runs never need the RDS client, and its modules cost start-up time.
  const [rds, { sdkClientSettings }] = await Promise.all([
    loadCommonJs(import('@aws-sdk/client-rds')),
    agentSdk(),
  ]);
  // Through the proxy when the variables say so, as every AWS call of the agent.
  const router = new ProxyRouter(o.env, o.signal);
  const client = new rds.RDSClient({
    ...sdkClientSettings(o.region, o.deadlineMs, router),
    credentials: o.credentials,
  });
  try {
    const facts = await withDeadline(
      lookup(rds, client, o, byId),
      o.deadlineMs,
      'rds:DescribeDBClusters',
      o.signal,
    );
    if (!facts) return { ok: false, reason: 'not-found', detail: `no cluster with endpoint ${o.host}` };
    return { ok: true, facts };
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const detail = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : String(e);
    if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) || status === 403)
      return { ok: false, reason: 'access-denied', detail };
    if (/NotFound/i.test(name)) return { ok: false, reason: 'not-found', detail };
    return { ok: false, reason: 'unreachable', detail };
  } finally {
    client.destroy();
    router.destroy();
  }
}

async function lookup(
  rds: typeof import('@aws-sdk/client-rds'),
  client: RDSClient,
  o: LookupOptions,
  byId: boolean,
): Promise<ClusterFacts | undefined> {
  const id = o.hostInfo?.identifier;
  if (byId && o.hostInfo?.kind === 'instance') {
    const out = await client.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    const db = out.DBInstances?.[0];
    if (!db) return undefined;
    return {
      kind: 'instance',
      identifier: db.DBInstanceIdentifier ?? id ?? '',
      resourceId: db.DbiResourceId,
      iamAuthEnabled: db.IAMDatabaseAuthenticationEnabled,
      endpoints: db.Endpoint?.Address ? [db.Endpoint.Address] : [],
      port: db.Endpoint?.Port,
    };
  }
  const out = await client.send(
    new rds.DescribeDBClustersCommand(byId ? { DBClusterIdentifier: id } : { MaxRecords: 100 }),
  );
  const clusters = out.DBClusters ?? [];
  const match = byId ? clusters[0] : clusters.find((c) => endpointsOf(c).includes(o.host.toLowerCase()));
  if (!match) return undefined;
  return {
    kind: 'cluster',
    identifier: match.DBClusterIdentifier ?? id ?? '',
    resourceId: match.DbClusterResourceId,
    iamAuthEnabled: match.IAMDatabaseAuthenticationEnabled,
    endpoints: endpointsOf(match),
    port: match.Port,
  };
}

function endpointsOf(c: DBCluster): string[] {
  return [c.Endpoint, c.ReaderEndpoint, ...(c.CustomEndpoints ?? [])]
    .filter((e): e is string => Boolean(e))
    .map((e) => e.toLowerCase());
}
