// A minimal PostgreSQL wire peer written from the protocol documentation, independent of test/harness:
// it scripts its answers (SSLRequest, password requests, ErrorResponse fields in any order, query results
// with any column types) so the agent is shown to key on SQLSTATEs and documented phrases.
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { IssuedCert } from '../harness/tls-ca.js';

export type Fields = Array<[string, string]>;
export type QueryAnswer =
  | { cols: Array<{ name: string; oid: number }>; rows: Array<Array<string | null>> }
  | { error: Fields };
export interface PgScript {
  /** Answer to SSLRequest. */
  ssl: 'S' | 'N';
  /** Password request: cleartext (RDS IAM users) by default, or MD5 with a salt (password users). */
  auth?: 'md5';
  /** Sent right after the StartupMessage (a pg_hba refusal comes before any password request). */
  atStartup?: Fields;
  /** After the cleartext password: an ErrorResponse, or undefined to log the client in. */
  afterPassword?: (password: string) => Fields | undefined;
  parameters?: Record<string, string>;
  query?: (sql: string) => QueryAnswer;
}

const msg = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
const errorMsg = (fields: Fields) =>
  msg('E', Buffer.concat([...fields.map(([k, v]) => Buffer.concat([Buffer.from(k), cstr(v)])), cstr('')]));

/** Buffers a stream so the peer can await exact byte counts. */
function reader(stream: Socket | TLSSocket) {
  let buf = Buffer.alloc(0);
  let want: { n: number; resolve: (b: Buffer) => void } | undefined;
  const pump = () => {
    if (want && buf.length >= want.n) {
      const out = buf.subarray(0, want.n);
      buf = buf.subarray(want.n);
      const w = want;
      want = undefined;
      w.resolve(out);
    }
  };
  stream.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    pump();
  });
  return {
    read: (n: number) =>
      new Promise<Buffer>((resolve) => {
        want = { n, resolve };
        pump();
      }),
    rest: () => {
      const r = buf;
      buf = Buffer.alloc(0);
      stream.removeAllListeners('data');
      return r;
    },
  };
}

export async function startPgPeer(cert: IssuedCert, script: () => PgScript) {
  const secureContext = createSecureContext({ cert: cert.certPem, key: cert.keyPem });
  const sockets = new Set<Socket>();
  const seen: Array<{ user?: string; database?: string; passwordLength?: number }> = [];
  const server: Server = createNetServer(async (raw) => {
    sockets.add(raw);
    raw.on('error', () => undefined);
    raw.on('close', () => sockets.delete(raw));
    const s = script();
    let stream: Socket | TLSSocket = raw;
    let r = reader(raw);
    try {
      let len = (await r.read(4)).readInt32BE();
      let body = await r.read(len - 4);
      if (body.readInt32BE() === 80877103) {
        raw.write(s.ssl);
        if (s.ssl === 'N') return; // pg without SSL reconnects; the probe hangs up
        const leftover = r.rest();
        const tls = new TLSSocket(raw, { isServer: true, secureContext });
        tls.on('error', () => undefined);
        if (leftover.length) tls.unshift(leftover);
        stream = tls;
        r = reader(tls);
        len = (await r.read(4)).readInt32BE();
        body = await r.read(len - 4);
      }
      const parts = body.subarray(4).toString('utf8').split('\0');
      const params: Record<string, string> = {};
      for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) params[parts[i]!] = parts[i + 1]!;
      const visit: (typeof seen)[number] = { user: params.user, database: params.database };
      seen.push(visit);
      if (s.atStartup) return void stream.end(errorMsg(s.atStartup));
      stream.write(
        s.auth === 'md5'
          ? msg('R', Buffer.concat([int32(5), Buffer.from([1, 2, 3, 4])]))
          : msg('R', int32(3)),
      );
      const type = (await r.read(1)).toString('latin1');
      const plen = (await r.read(4)).readInt32BE();
      const password = (await r.read(plen - 4)).toString('utf8').replace(/\0$/, '');
      visit.passwordLength = password.length;
      if (type !== 'p') return void stream.destroy();
      const refused = s.afterPassword?.(password);
      if (refused) return void stream.end(errorMsg(refused));
      const ps = { server_version: '16.4', client_encoding: 'UTF8', ...s.parameters };
      stream.write(
        Buffer.concat([
          msg('R', int32(0)),
          ...Object.entries(ps).map(([k, v]) => msg('S', Buffer.concat([cstr(k), cstr(v)]))),
          msg('K', Buffer.concat([int32(4242), int32(77)])),
          msg('Z', Buffer.from('I')),
        ]),
      );
      for (;;) {
        const t = (await r.read(1)).toString('latin1');
        const n = (await r.read(4)).readInt32BE();
        const payload = await r.read(n - 4);
        if (t === 'X') return void stream.end();
        if (t !== 'Q') return void stream.destroy();
        const sql = payload.toString('utf8').replace(/\0$/, '');
        const a = s.query?.(sql) ?? {
          error: [
            ['S', 'ERROR'],
            ['C', '0A000'],
            ['M', 'only a few queries are implemented here'],
          ],
        };
        if ('error' in a) {
          stream.write(Buffer.concat([errorMsg(a.error), msg('Z', Buffer.from('I'))]));
          continue;
        }
        // RowDescription: count, then per column name, table oid, attnum, type oid, typlen, typmod, format.
        const rowDesc = Buffer.concat([
          Buffer.from([a.cols.length >> 8, a.cols.length & 255]),
          ...a.cols.map((c) =>
            Buffer.concat([
              cstr(c.name),
              int32(0),
              Buffer.from([0, 0]),
              int32(c.oid),
              Buffer.from([0xff, 0xff]),
              int32(-1),
              Buffer.from([0, 0]),
            ]),
          ),
        ]);
        const rows = a.rows.map((row) =>
          msg(
            'D',
            Buffer.concat([
              Buffer.from([row.length >> 8, row.length & 255]),
              ...row.map((v) =>
                v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)]),
              ),
            ]),
          ),
        );
        stream.write(
          Buffer.concat([
            msg('T', rowDesc),
            ...rows,
            msg('C', cstr(`SELECT ${a.rows.length}`)),
            msg('Z', Buffer.from('I')),
          ]),
        );
      }
    } catch {
      stream.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
