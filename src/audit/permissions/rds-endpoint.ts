// Which Aurora cluster, RDS instance or RDS Proxy serves a --postgres endpoint, and so which resource id
// an rds-db:connect grant must name and which IAM authentication setting counts. Pure.
import { normaliseHost } from './normalise-host.js';
import type { RdsCluster, RdsInstance, RdsProxy } from './rds-inventory.js';

export interface PostgresEndpoint {
  host: string;
  port?: number;
}

/** `HOST`, `HOST:PORT` or a `postgres://` / `postgresql://` URL, as users copy them from their config. */
export function parsePostgresEndpoint(
  raw: string,
): { ok: true; endpoint: PostgresEndpoint } | { ok: false; problem: string } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `postgres://${text}`);
  } catch {
    return { ok: false, problem: `${JSON.stringify(raw)} is not HOST[:PORT]` };
  }
  const host = normaliseHost(url.hostname.replace(/^\[|\]$/g, ''));
  if (!host) return { ok: false, problem: `${JSON.stringify(raw)} names no host` };
  if (url.port === '') return { ok: true, endpoint: { host } };
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { ok: false, problem: `${JSON.stringify(raw)} has no valid port` };
  return { ok: true, endpoint: { host, port } };
}

/** How the endpoint reaches the database: a cluster endpoint, an instance, or a proxy. */
export type EndpointRole = 'writer' | 'reader' | 'custom' | 'instance' | 'proxy';

export interface RdsTarget {
  /** the resource whose IAM setting and resource id count */
  kind: 'cluster' | 'instance' | 'proxy';
  via: EndpointRole;
  identifier: string;
  resourceId: string;
  /** the resource's ARN, for its account */
  arn?: string;
  iamAuth: boolean;
  /** the port the resource listens on, when RDS says */
  port?: number;
  /** the Aurora member instance the endpoint names */
  instance?: string;
  engine?: string;
  /** the proxy's first secret, for its fix */
  secretArn?: string;
}

export type RdsMatch =
  | { state: 'found'; target: RdsTarget }
  /** the host is this resource's, but it listens on another port */
  | { state: 'other-port'; target: RdsTarget }
  /** an Aurora member instance whose cluster is not in the (failed) cluster list */
  | { state: 'needs-clusters'; instance: string }
  | { state: 'none' };

/** The port RDS Proxy listens on: its engine's default (DescribeDBProxies does not say). */
const PROXY_PORTS: Record<string, number> = { POSTGRESQL: 5432, MYSQL: 3306, SQLSERVER: 1433 };

export function findRdsTarget(
  ep: PostgresEndpoint,
  lists: { clusters?: RdsCluster[]; instances?: RdsInstance[]; proxies?: RdsProxy[] },
): RdsMatch {
  const candidates: RdsTarget[] = [];
  for (const c of lists.clusters ?? []) {
    const via: EndpointRole | undefined =
      c.writer === ep.host
        ? 'writer'
        : c.reader === ep.host
          ? 'reader'
          : c.custom.includes(ep.host)
            ? 'custom'
            : undefined;
    if (via) candidates.push(clusterTarget(c, via));
  }
  for (const i of lists.instances ?? []) {
    if (i.address !== ep.host) continue;
    if (i.clusterIdentifier) {
      // Aurora: the cluster's resource id and IAM setting count for its instances' endpoints too.
      const c = lists.clusters?.find((x) => x.identifier === i.clusterIdentifier);
      if (!c) return lists.clusters ? { state: 'none' } : { state: 'needs-clusters', instance: i.identifier };
      candidates.push({ ...clusterTarget(c, 'instance'), instance: i.identifier, port: i.port ?? c.port });
      continue;
    }
    candidates.push({
      kind: 'instance',
      via: 'instance',
      identifier: i.identifier,
      resourceId: i.resourceId,
      ...(i.arn ? { arn: i.arn } : {}),
      iamAuth: i.iamAuth,
      ...(i.port ? { port: i.port } : {}),
      ...(i.engine ? { engine: i.engine } : {}),
    });
  }
  for (const x of lists.proxies ?? []) {
    if (x.endpoint !== ep.host) continue;
    const port = x.engineFamily ? PROXY_PORTS[x.engineFamily] : undefined;
    candidates.push({
      kind: 'proxy',
      via: 'proxy',
      identifier: x.name,
      resourceId: x.resourceId,
      arn: x.arn,
      iamAuth: x.iamAuth,
      ...(port ? { port } : {}),
      ...(x.secretArn ? { secretArn: x.secretArn } : {}),
    });
  }
  const first = candidates[0];
  if (!first) return { state: 'none' };
  if (ep.port === undefined) return { state: 'found', target: first };
  const samePort = candidates.find((t) => t.port === undefined || t.port === ep.port);
  return samePort ? { state: 'found', target: samePort } : { state: 'other-port', target: first };
}

function clusterTarget(c: RdsCluster, via: EndpointRole): RdsTarget {
  return {
    kind: 'cluster',
    via,
    identifier: c.identifier,
    resourceId: c.resourceId,
    ...(c.arn ? { arn: c.arn } : {}),
    iamAuth: c.iamAuth,
    ...(c.port ? { port: c.port } : {}),
    ...(c.engine ? { engine: c.engine } : {}),
  };
}
