import { Signer } from '@aws-sdk/rds-signer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamAccount, type IssuedCredentials } from './iam.js';
import { type RdsFrontDoor, type RdsFrontDoorOptions, startRdsFrontDoor } from './rds-front-door.js';
import { type RdsStack, startRdsStack } from './rds-stack.js';
import { createTestCa, type IssuedCert, type TestCa } from './tls-ca.js';

const PAM = (user: string) => ({ code: '28000', message: `PAM authentication failed for user "${user}"` });

describe('RDS front door', () => {
  const iam = new IamAccount({ accountId: '123456789012' });
  let ca: TestCa;
  let cert: IssuedCert;
  let stack: RdsStack;
  let appCreds: IssuedCredentials;
  const extraDoors: RdsFrontDoor[] = [];

  beforeAll(async () => {
    ca = await createTestCa();
    cert = await ca.issue(['127.0.0.1', 'localhost']);
    stack = await startRdsStack({ iam, tls: cert });
    await stack.postgres.createIamUser('operate', { rdsIam: true });
    const policy = (resource: string) => [
      { Statement: [{ Effect: 'Allow' as const, Action: 'rds-db:connect', Resource: resource }] },
    ];
    iam.addRole({
      arn: iam.roleArn('zeebe'),
      trustPolicy: { Statement: [] },
      policies: policy(stack.policyResource('*')),
    });
    // The common mistake: the cluster name where the resource id belongs.
    const byName = `arn:aws:rds-db:eu-west-1:123456789012:dbuser:${stack.clusterIdentifier}/zeebe`;
    iam.addRole({ arn: iam.roleArn('by-name'), trustPolicy: { Statement: [] }, policies: policy(byName) });
    appCreds = iam.issueCredentials(iam.roleArn('zeebe'), 'zeebe-0', 'web-identity');
  });
  afterAll(async () => {
    for (const door of extraDoors) await door.close();
    await stack?.close();
    ca?.cleanup();
  });

  const extraDoor = async (overrides: Partial<RdsFrontDoorOptions>) => {
    const door = await startRdsFrontDoor({
      iam,
      postgres: stack.postgres,
      region: 'eu-west-1',
      resourceId: stack.resourceId,
      clusterIdentifier: stack.clusterIdentifier,
      tls: cert,
      ...overrides,
    });
    extraDoors.push(door);
    return door;
  };

  const token = (
    door: RdsFrontDoor,
    user: string,
    o: { creds?: IssuedCredentials; hostname?: string; port?: number; region?: string } = {},
  ) => {
    const c = o.creds ?? appCreds;
    return new Signer({
      hostname: o.hostname ?? door.endpointHost,
      port: o.port ?? door.port,
      region: o.region ?? 'eu-west-1',
      username: user,
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        sessionToken: c.sessionToken,
      },
    }).getAuthToken();
  };

  const login = async (
    door: RdsFrontDoor,
    user: string,
    password: string | (() => Promise<string>),
    o: { database?: string; ssl?: boolean } = {},
  ) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: door.port,
      user,
      database: o.database ?? 'camunda',
      password,
      ssl: o.ssl === false ? false : { ca: ca.caCertPem },
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  };

  /** Logs in expecting failure; returns the error and the reason the front door recorded for it. */
  const refused = async (
    door: RdsFrontDoor,
    user: string,
    password: string,
    o: { database?: string; ssl?: boolean } = {},
  ) => {
    const before = door.lastRejections.length;
    const err = await login(door, user, password, o).then(
      () => {
        throw new Error(`login as ${user} unexpectedly succeeded`);
      },
      (e: unknown) => e as pg.DatabaseError,
    );
    return { err, rejections: door.lastRejections.slice(before) };
  };

  it('lets an rds_iam user in with a token signed by STS-issued credentials, over TLS', async () => {
    const door = stack.frontDoor;
    const client = await login(door, 'zeebe', () => token(door, 'zeebe'));
    const { rows } = await client.query('select current_user, current_database()');
    await client.query('create table if not exists probe (id int)');
    await client.end();
    expect(rows).toEqual([{ current_user: 'zeebe', current_database: 'camunda' }]);
    // Longer than PAM_MAX_RESP_SIZE (511), which is why the check cannot live in PostgreSQL's own PAM.
    expect((await token(door, 'zeebe')).length).toBeGreaterThan(511);
  });

  it('forwards cancel requests to the real server', async () => {
    const door = stack.frontDoor;
    const client = await login(door, 'zeebe', await token(door, 'zeebe'));
    const query = new pg.Query('select pg_sleep(10)');
    const result = new Promise((resolve, reject) => {
      query.on('end', resolve);
      query.on('error', reject);
    });
    client.query(query);
    // Once the backend reports the sleep as active, the cancel has something to hit.
    await expect
      .poll(
        async () => {
          const r = await stack.postgres.query(
            "select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'",
          );
          return r.rows[0].n;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    const canceller = new pg.Client({ host: '127.0.0.1', port: door.port });
    (canceller as unknown as { cancel(c: pg.Client, q: pg.Query): void }).cancel(client, query);
    await expect(result).rejects.toMatchObject({
      code: '57014',
      message: 'canceling statement due to user request',
    });
    await client.end();
  });

  it('refuses a user that is not a member of rds_iam with the PAM error', async () => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'noiam', await token(door, 'noiam'));
    expect(err).toMatchObject(PAM('noiam'));
    expect(rejections.map((r) => r.reason)).toEqual(['not-rds-iam-member']);
  });

  it('refuses when the policy names the cluster identifier instead of the resource id', async () => {
    const door = stack.frontDoor;
    const creds = iam.issueCredentials(iam.roleArn('by-name'), 's', 'web-identity');
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe', { creds }));
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual(['not-authorized']);
    // The client never learns why.
    expect(err.detail).toBeUndefined();
    expect(err.hint).toBeUndefined();
  });

  it('refuses every token while IAM authentication is disabled on the cluster', async () => {
    const door = stack.frontDoor;
    door.setIamAuthEnabled(false);
    try {
      const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe'));
      expect(err).toMatchObject(PAM('zeebe'));
      expect(rejections.map((r) => r.reason)).toEqual(['iam-auth-disabled']);
    } finally {
      door.setIamAuthEnabled(true);
    }
  });

  it.each([
    ['another port', { port: 1 }, 'wrong-endpoint'],
    ['another host', { hostname: 'other.cluster-xyz.eu-west-1.rds.amazonaws.com' }, 'wrong-endpoint'],
    ['another region', { region: 'us-east-1' }, 'wrong-region'],
  ] as const)('refuses a token signed for %s', async (_what, o, reason) => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe', o));
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual([reason]);
  });

  it('refuses a token signed for another database user', async () => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'operate'));
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual(['wrong-db-user']);
  });

  it('refuses a token signed with keys STS never issued', async () => {
    const door = stack.frontDoor;
    const forged = { ...appCreds, accessKeyId: 'ASIAFORGEDFORGED1234' };
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe', { creds: forged }));
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual(['unknown-key']);
  });

  it('refuses a token older than 15 minutes', async () => {
    const later = await extraDoor({ now: () => new Date(Date.now() + 16 * 60_000) });
    const { err, rejections } = await refused(later, 'zeebe', await token(later, 'zeebe'));
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual(['expired']);
  });

  it('expects tokens for its cluster endpoint name, not for the address the client dialled', async () => {
    const endpointHost = 'camunda.cluster-abc123.eu-west-1.rds.amazonaws.com';
    const door = await extraDoor({ endpointHost });
    expect(door.endpoint).toBe(`${endpointHost}:${door.port}`);
    const client = await login(door, 'zeebe', await token(door, 'zeebe'));
    await client.end();
    const { err, rejections } = await refused(
      door,
      'zeebe',
      await token(door, 'zeebe', { hostname: '127.0.0.1' }),
    );
    expect(err).toMatchObject(PAM('zeebe'));
    expect(rejections.map((r) => r.reason)).toEqual(['wrong-endpoint']);
  });

  it('answers a client without SSL like pg_hba with rds.force_ssl', async () => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe'), { ssl: false });
    expect(err).toMatchObject({
      code: '28000',
      message: 'no pg_hba.conf entry for host "127.0.0.1", user "zeebe", database "camunda", no encryption',
    });
    expect(rejections.map((r) => r.reason)).toEqual(['no-ssl']);
  });

  it('leaves password users to the real server: a token is just a wrong password there', async () => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'legacy', await token(door, 'legacy'));
    expect(err).toMatchObject({ code: '28P01', message: 'password authentication failed for user "legacy"' });
    expect(rejections).toEqual([]);
    const client = await login(door, 'legacy', stack.legacyPassword);
    const { rows } = await client.query('select current_user');
    await client.end();
    expect(rows).toEqual([{ current_user: 'legacy' }]);
  });

  it('passes the real server’s error through when the database does not exist', async () => {
    const door = stack.frontDoor;
    const { err, rejections } = await refused(door, 'zeebe', await token(door, 'zeebe'), {
      database: 'nope',
    });
    expect(err).toMatchObject({ code: '3D000', message: 'database "nope" does not exist' });
    expect(rejections).toEqual([]);
  });
});
