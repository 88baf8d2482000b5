import type pg from 'pg';
import { withDeadline } from '../../lib/deadline.js';

export interface SessionFacts {
  /** From the server's ParameterStatus, else `version()`; undefined when neither said. */
  serverVersion?: string;
  currentUser: string;
  database: string;
  /** null: the server has no rds_iam role at all (not RDS); undefined: the server did not say. */
  rdsIamMember: boolean | null | undefined;
  /** Each undefined when the server did not answer that question. */
  privileges: {
    connect?: boolean;
    create?: boolean;
    temp?: boolean;
    /** null: there is no schema public; undefined: not answered. */
    schemaPublic: { usage?: boolean; create?: boolean } | null | undefined;
  };
}

type Cell = { ok: true; value: unknown } | { ok: false; sqlstate?: string };

/**
 * What the logged-in session may do, asked one documented question per simple query (REFERENCE section 8:
 * `pg_has_role(current_user, 'rds_iam', 'member')`), each read by position. A question the server cannot
 * answer leaves that fact unknown instead of failing the login that already worked; one budget covers them
 * all, and a query that times out or breaks the connection ends the questioning.
 */
export async function readSessionFacts(
  client: pg.Client,
  known: { user: string; database: string; serverVersion?: string },
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<SessionFacts> {
  const until = performance.now() + deadlineMs;
  let broken = false;
  const ask = async (sql: string): Promise<Cell[]> => {
    if (broken) return [{ ok: false }];
    try {
      const left = Math.max(1, Math.round(until - performance.now()));
      const res = await withDeadline(
        client.query({ text: sql, rowMode: 'array' }),
        left,
        'PostgreSQL session query',
        signal,
      );
      const row = (res.rows[0] ?? []) as unknown[];
      return row.length ? row.map((value) => ({ ok: true, value })) : [{ ok: false }];
    } catch (e) {
      const err = e as { code?: unknown; severity?: unknown };
      const sqlstate = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
      // An ERROR answers this query only; anything else (FATAL, a timeout, a dropped connection) ends the session.
      if (!sqlstate || /^(FATAL|PANIC)$/i.test(String(err.severity))) broken = true;
      return [{ ok: false, ...(typeof err.code === 'string' ? { sqlstate: err.code } : {}) }];
    }
  };
  const bool = async (sql: string, absentState?: string): Promise<boolean | null | undefined> => {
    const [c] = await ask(sql);
    if (!c?.ok) return absentState && c?.sqlstate === absentState ? null : undefined;
    return asBool(c.value);
  };

  const [who, what] = [
    await ask('select current_user, current_database()'),
    known.serverVersion ? undefined : await ask('select version()'),
  ];
  // 42704 undefined_object: no role rds_iam on this server.
  const rdsIamMember = await bool("select pg_has_role(current_user, 'rds_iam', 'member')", '42704');
  const connect = await bool("select has_database_privilege(current_database(), 'CONNECT')");
  const create = await bool("select has_database_privilege(current_database(), 'CREATE')");
  const temp = await bool("select has_database_privilege(current_database(), 'TEMP')");
  // 3F000 invalid_schema_name: the database has no schema public.
  const usage = await bool("select has_schema_privilege('public', 'USAGE')", '3F000');
  const schemaCreate = usage === null ? null : await bool("select has_schema_privilege('public', 'CREATE')");
  return {
    serverVersion: known.serverVersion ?? versionOf(what?.[0]),
    currentUser: text(who[0]) ?? known.user,
    database: text(who[1]) ?? known.database,
    rdsIamMember,
    privileges: {
      ...defined({ connect: bool3(connect), create: bool3(create), temp: bool3(temp) }),
      schemaPublic:
        usage === null
          ? null
          : usage === undefined && schemaCreate === undefined
            ? undefined
            : defined({ usage: bool3(usage), create: bool3(schemaCreate) }),
    },
  };
}

/** pg parses bool columns; a peer that sends them as text says t/f, true/false, on/off or 1/0. */
export function asBool(v: unknown): boolean | null | undefined {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['t', 'true', 'on', '1', 'yes', 'y'].includes(s)) return true;
  if (['f', 'false', 'off', '0', 'no', 'n'].includes(s)) return false;
  return undefined;
}

const bool3 = (v: boolean | null | undefined) => (typeof v === 'boolean' ? v : undefined);

function text(c: Cell | undefined): string | undefined {
  return c?.ok && typeof c.value === 'string' && c.value !== '' ? c.value : undefined;
}

/** `PostgreSQL 16.4 on aarch64-...` -> `16.4`; anything else as sent. */
function versionOf(c: Cell | undefined): string | undefined {
  const v = text(c);
  return v ? (/^PostgreSQL\s+(\S+)/i.exec(v)?.[1] ?? v.slice(0, 80)) : undefined;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
