import { describe, expect, it } from 'vitest';
import {
  isSpecialUseName,
  parsePostgresTarget,
  postgresRegion,
  rdsHostInfo,
} from '../../../../src/agent/postgres/parse-postgres-target.js';
import {
  describeClusterCommand,
  quoteIdent,
  rdsConnectStatement,
  rdsDbResourceArn,
} from '../../../../src/agent/postgres/rds-db-resource.js';

const target = (raw: string) => {
  const r = parsePostgresTarget(raw);
  if (!r.ok) throw new Error(r.problem);
  return [r.target.host, r.target.port];
};

describe('parsePostgresTarget', () => {
  it('accepts HOST, HOST:PORT, [IPv6]:PORT and bare IPv6', () => {
    expect(target('db.example.com')).toEqual(['db.example.com', 5432]);
    expect(target('DB.example.com:6543')).toEqual(['db.example.com', 6543]);
    expect(target('[::1]:5433')).toEqual(['::1', 5433]);
    expect(target('::1')).toEqual(['::1', 5432]);
    expect(target('127.0.0.1:5439')).toEqual(['127.0.0.1', 5439]);
  });
  it('accepts the JDBC and libpq URLs people paste from Helm values', () => {
    expect(
      target(
        'jdbc:aws-wrapper:postgresql://c.cluster-x.eu-west-1.rds.amazonaws.com:5432/camunda?wrapperPlugins=iam',
      ),
    ).toEqual(['c.cluster-x.eu-west-1.rds.amazonaws.com', 5432]);
    expect(target('postgres://zeebe@db.internal:5433/camunda')).toEqual(['db.internal', 5433]);
  });
  it('explains bad input', () => {
    for (const raw of ['', 'db:0', 'db:70000', 'db:abc', 'https://db', 'bad host']) {
      expect(parsePostgresTarget(raw).ok, raw).toBe(false);
    }
  });
});

describe('rdsHostInfo and postgresRegion', () => {
  it('reads region, kind and identifier from RDS endpoint names', () => {
    expect(rdsHostInfo('mycluster.cluster-abc123.eu-west-1.rds.amazonaws.com')).toEqual({
      identifier: 'mycluster',
      kind: 'cluster',
      region: 'eu-west-1',
      partition: 'aws',
    });
    expect(rdsHostInfo('mycluster.cluster-ro-abc123.us-east-2.rds.amazonaws.com')?.kind).toBe('cluster-ro');
    expect(rdsHostInfo('reporting.cluster-custom-abc123.us-east-2.rds.amazonaws.com')?.kind).toBe(
      'cluster-custom',
    );
    expect(rdsHostInfo('db1.abc123.ap-southeast-2.rds.amazonaws.com')).toMatchObject({
      kind: 'instance',
      identifier: 'db1',
    });
    expect(rdsHostInfo('p1.proxy-abc123.eu-central-1.rds.amazonaws.com')?.kind).toBe('proxy');
    expect(rdsHostInfo('c.cluster-abc.cn-north-1.rds.amazonaws.com.cn')?.partition).toBe('aws-cn');
    expect(rdsHostInfo('c.cluster-abc.us-gov-west-1.rds.amazonaws.com')?.partition).toBe('aws-us-gov');
    expect(rdsHostInfo('aurora.rds.your.domain')).toBeUndefined();
    expect(rdsHostInfo('127.0.0.1')).toBeUndefined();
  });
  it('prefers the host name region over the configured one', () => {
    expect(postgresRegion('c.cluster-x.eu-west-1.rds.amazonaws.com', 'us-east-1')).toEqual({
      region: 'eu-west-1',
      source: 'host name',
    });
    expect(postgresRegion('db.internal', 'us-east-1')).toEqual({
      region: 'us-east-1',
      source: 'configuration',
    });
    expect(postgresRegion('db.internal', undefined)).toBeUndefined();
  });
  it('knows names DNS never has', () => {
    expect(isSpecialUseName('localhost')).toBe(true);
    expect(isSpecialUseName('db.invalid')).toBe(true);
    expect(isSpecialUseName('10.0.0.1')).toBe(true);
    expect(isSpecialUseName('aurora.example.org')).toBe(false);
  });
});

describe('rds-db resource', () => {
  it('builds the resource with the resource id and user', () => {
    expect(
      rdsDbResourceArn({
        region: 'eu-west-1',
        account: '111122223333',
        resourceId: 'cluster-ABC',
        user: 'zeebe',
      }),
    ).toBe('arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/zeebe');
    expect(rdsDbResourceArn({ region: 'eu-west-1', user: 'zeebe' })).toBe(
      'arn:aws:rds-db:eu-west-1:ACCOUNT_ID:dbuser:cluster-RESOURCE_ID/zeebe',
    );
    expect(JSON.parse(rdsConnectStatement('arn:x'))).toEqual({
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: 'arn:x',
    });
  });
  it('prints the describe command and quotes identifiers', () => {
    expect(describeClusterCommand('camunda', 'eu-west-1')).toContain('--db-cluster-identifier camunda');
    expect(describeClusterCommand('camunda', 'eu-west-1')).toContain(
      'DbClusterResourceId,IAMDatabaseAuthenticationEnabled',
    );
    expect(describeClusterCommand('db1', 'eu-west-1', 'instance')).toContain('describe-db-instances');
    expect(quoteIdent('my"user')).toBe('"my""user"');
  });
});

describe("libpq's hostaddr", () => {
  it('dials the address while the host name stays what TLS and the token name', () => {
    const r = parsePostgresTarget(
      'postgresql://camunda.cluster-abc.eu-west-1.rds.amazonaws.com:5432/identity?sslmode=verify-full&hostaddr=10.0.3.7',
    );
    expect(r).toMatchObject({
      ok: true,
      target: { host: 'camunda.cluster-abc.eu-west-1.rds.amazonaws.com', port: 5432, address: '10.0.3.7' },
    });
    expect(parsePostgresTarget('jdbc:postgresql://db.example:5433/x?hostaddr=%5B::1%5D')).toMatchObject({
      ok: true,
      target: { host: 'db.example', address: '::1' },
    });
    expect(parsePostgresTarget('db.example:5432')).toMatchObject({
      ok: true,
      target: { host: 'db.example' },
    });
    expect((parsePostgresTarget('db.example:5432') as { target: object }).target).not.toHaveProperty(
      'address',
    );
  });
  it('refuses a hostaddr that is no IP address, as libpq does', () => {
    const r = parsePostgresTarget('postgresql://db.example/x?hostaddr=other.example');
    expect(r).toMatchObject({ ok: false });
    expect((r as { problem: string }).problem).toContain('hostaddr "other.example" is not an IP address');
  });
});
