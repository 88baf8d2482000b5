// A real, throwaway PostgreSQL server for tests: initdb into a temp dir, listen on 127.0.0.1 only.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  superuser: string;
  superPassword: string;
  dataDir: string;
  /** Directory holding the server's unix socket (`.s.PGSQL.<port>`). */
  socketDir: string;
  socketPath: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Runs one statement as superuser in another database (e.g. schema grants inside it). */
  queryIn<R extends pg.QueryResultRow = pg.QueryResultRow>(
    database: string,
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** A login role without password; `rdsIam` grants it `rds_iam`, as `CREATE USER x; GRANT rds_iam TO x` on RDS. */
  createIamUser(name: string, opts: { rdsIam: boolean }): Promise<void>;
  createPasswordUser(name: string, password: string): Promise<void>;
  createDatabase(name: string, owner?: string): Promise<void>;
  close(): Promise<void>;
}

/** Locates initdb/postgres: $PG_BINDIR, `pg_config --bindir`, then the newest /usr/lib/postgresql/N/bin. */
export function findPostgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is optional (libpq-dev); the Debian layout below is the usual place.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  candidates.push('/usr/local/pgsql/bin');
  const found = candidates.find(
    (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  );
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (initdb, postgres) not found in ${candidates.join(', ')}; install them (Debian: apt-get install postgresql) or set PG_BINDIR`,
    );
  }
  return found;
}

/** initdb and postgres refuse to run as root, so as root we drop to the `postgres` (or `nobody`) account. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const entry = passwd.find((f) => f[0] === 'postgres') ?? passwd.find((f) => f[0] === 'nobody');
  if (!entry) throw new Error('running as root and found neither a postgres nor a nobody account');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  const account = serverAccount();
  // The unprivileged account must be able to traverse the parent of the temp dir.
  const parent = account && (statSync(tmpdir()).mode & 0o001) === 0 ? '/tmp' : tmpdir();
  const root = mkdtempSync(join(parent, 'irsa-doctor-pg-'));
  const dataDir = join(root, 'data');
  const superuser = 'postgres';
  const superPassword = randomBytes(18).toString('base64url');
  const pwFile = join(root, 'pw');
  writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
  if (account) {
    chownSync(root, account.uid, account.gid);
    chownSync(pwFile, account.uid, account.gid);
  }
  const asServer = account ? { uid: account.uid, gid: account.gid } : {};
  try {
    execFileSync(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        superuser,
        `--pwfile=${pwFile}`,
        '-A',
        'scram-sha-256',
        '-N',
        '-E',
        'UTF8',
        '--no-locale',
      ],
      { ...asServer, stdio: 'pipe', env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(err)}`);
  }
  rmSync(pwFile);
  // Unix socket: only members of rds_iam, with no password. The RDS front door is the only local
  // client and has already verified their IAM token. TCP: password (SCRAM) for everyone.
  writeFileSync(
    join(dataDir, 'pg_hba.conf'),
    'local all +rds_iam trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );

  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    child = await launch(bin, dataDir, root, port, asServer).catch((err: Error) => {
      // Another process can grab the port between freePort() and postgres binding it.
      if (!/could not (bind|create listen socket)/.test(err.message) || attempt === 4) {
        rmSync(root, { recursive: true, force: true });
        throw err;
      }
      return undefined;
    });
  }
  const proc = child as ChildProcess;
  const killNow = (): void => {
    proc.kill('SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  };
  live.add(killNow);

  const pool = new pg.Pool({
    host: '127.0.0.1',
    port,
    user: superuser,
    password: superPassword,
    database: 'postgres',
    max: 3,
  });
  // Idle pooled connections error out when the server stops; that is expected, not a crash.
  pool.on('error', () => undefined);
  const query: PostgresServer['query'] = (sql, params) => pool.query(sql, params);
  await query('CREATE ROLE rds_iam NOLOGIN');
  await query('CREATE ROLE rds_superuser NOLOGIN CREATEDB CREATEROLE');

  let closed = false;
  return {
    host: '127.0.0.1',
    port,
    superuser,
    superPassword,
    dataDir,
    socketDir: root,
    socketPath: join(root, `.s.PGSQL.${port}`),
    query,
    async queryIn(database, sql, params) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: superuser,
        password: superPassword,
        database,
      });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
    async createIamUser(name, { rdsIam }) {
      await query(`CREATE USER ${quoteIdent(name)}`);
      if (rdsIam) await query(`GRANT rds_iam TO ${quoteIdent(name)}`);
    },
    async createPasswordUser(name, password) {
      // Literal, not a bind parameter: utility statements take no parameters.
      await query(`CREATE USER ${quoteIdent(name)} PASSWORD '${password.replaceAll("'", "''")}'`);
    },
    async createDatabase(name, owner) {
      await query(`CREATE DATABASE ${quoteIdent(name)}${owner ? ` OWNER ${quoteIdent(owner)}` : ''}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
      const exited = new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) resolve();
        else proc.once('exit', () => resolve());
      });
      proc.kill('SIGINT'); // fast shutdown: roll back open transactions, close sessions
      await exited;
      live.delete(killNow);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function launch(
  bin: string,
  dataDir: string,
  socketDir: string,
  port: number,
  asServer: { uid?: number; gid?: number },
): Promise<ChildProcess> {
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '16MB',
    max_connections: '40',
    logging_collector: 'off',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(join(bin, 'postgres'), args, { ...asServer, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('database system is ready to accept connections')) {
        child.off('exit', onExit);
        // Keep draining stderr so the server never blocks on a full pipe.
        child.stderr?.off('data', onData).on('data', () => undefined);
        resolve(child);
      }
    };
    const onExit = (): void => reject(new Error(`postgres exited during startup:\n${log}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}
