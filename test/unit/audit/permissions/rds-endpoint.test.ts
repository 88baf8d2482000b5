import { describe, expect, it } from 'vitest';
import { findRdsTarget, parsePostgresEndpoint } from '../../../../src/audit/permissions/rds-endpoint.js';
import type { RdsCluster, RdsInstance, RdsProxy } from '../../../../src/audit/permissions/rds-inventory.js';

const cluster: RdsCluster = {
  identifier: 'camunda',
  resourceId: 'cluster-ABC',
  writer: 'camunda.cluster-x.eu-west-1.rds.amazonaws.com',
  reader: 'camunda.cluster-ro-x.eu-west-1.rds.amazonaws.com',
  custom: ['analytics.cluster-custom-x.eu-west-1.rds.amazonaws.com'],
  port: 5432,
  iamAuth: true,
};
const member: RdsInstance = {
  identifier: 'camunda-1',
  resourceId: 'db-MEMBER',
  address: 'camunda-1.x.eu-west-1.rds.amazonaws.com',
  port: 5432,
  iamAuth: true,
  clusterIdentifier: 'camunda',
};
const standalone: RdsInstance = {
  identifier: 'legacy',
  resourceId: 'db-LEGACY',
  address: 'legacy.x.eu-west-1.rds.amazonaws.com',
  port: 5433,
  iamAuth: false,
};
const proxy: RdsProxy = {
  name: 'p',
  arn: 'arn:aws:rds:eu-west-1:111122223333:db-proxy:prx-0123',
  resourceId: 'prx-0123',
  engineFamily: 'POSTGRESQL',
  endpoint: 'p.proxy-x.eu-west-1.rds.amazonaws.com',
  iamAuth: true,
};
const lists = { clusters: [cluster], instances: [member, standalone], proxies: [proxy] };
const find = (raw: string, l: Parameters<typeof findRdsTarget>[1] = lists) => {
  const p = parsePostgresEndpoint(raw);
  if (!p.ok) throw new Error(p.problem);
  return findRdsTarget(p.endpoint, l);
};

describe('parsePostgresEndpoint', () => {
  it('takes HOST, HOST:PORT and postgres URLs, without case or a trailing dot', () => {
    expect(parsePostgresEndpoint('DB.Example.com.')).toEqual({
      ok: true,
      endpoint: { host: 'db.example.com' },
    });
    expect(parsePostgresEndpoint('db:6432')).toEqual({ ok: true, endpoint: { host: 'db', port: 6432 } });
    expect(parsePostgresEndpoint('postgresql://u@db:5432/x?sslmode=require')).toEqual({
      ok: true,
      endpoint: { host: 'db', port: 5432 },
    });
  });
  it('refuses what is no endpoint', () => {
    expect(parsePostgresEndpoint('db:99999').ok).toBe(false);
    expect(parsePostgresEndpoint('').ok).toBe(false);
  });
});

describe('findRdsTarget', () => {
  it('names the cluster for its writer, reader and custom endpoints', () => {
    for (const [host, via] of [
      [cluster.writer!, 'writer'],
      [cluster.reader!, 'reader'],
      [cluster.custom[0]!, 'custom'],
    ] as const)
      expect(find(host)).toMatchObject({
        state: 'found',
        target: { kind: 'cluster', via, resourceId: 'cluster-ABC' },
      });
  });
  it("names an Aurora member's cluster, a stand-alone instance's own id, a proxy's prx- id", () => {
    expect(find(member.address!)).toMatchObject({
      target: { kind: 'cluster', via: 'instance', instance: 'camunda-1', resourceId: 'cluster-ABC' },
    });
    expect(find(`${standalone.address}:5433`)).toMatchObject({
      target: { kind: 'instance', resourceId: 'db-LEGACY', iamAuth: false },
    });
    expect(find(`${proxy.endpoint}:5432`)).toMatchObject({
      target: { kind: 'proxy', resourceId: 'prx-0123' },
    });
  });
  it('tells a wrong port from an unknown host', () => {
    expect(find(`${cluster.writer}:5433`)).toMatchObject({ state: 'other-port', target: { port: 5432 } });
    expect(find(`${proxy.endpoint}:3306`).state).toBe('other-port');
    expect(find('nothing.example.com').state).toBe('none');
  });
  it('needs the cluster list for an Aurora member when it could not be read', () => {
    expect(find(member.address!, { instances: [member] })).toEqual({
      state: 'needs-clusters',
      instance: 'camunda-1',
    });
  });
});
