import { BODY_TOO_LARGE, formatBytes } from '../../lib/body-too-large.js';
import { classifyNetError, isTimeoutError, type NetFailure } from '../net/classify-net-error.js';
import { MAX_PG_RECEIVED_BYTES, type WireProgress } from './watch-wire.js';

/** Why a PostgreSQL login failed, judged only from what the client received. */
export type PgFailureKind =
  /** "PAM authentication failed" (RDS sends 28000): RDS's one answer for every IAM token rejection. */
  | 'iam-auth-failed'
  /** 28000 "no pg_hba.conf entry ... no encryption" / "SSL off": the connection was not encrypted. */
  | 'ssl-required'
  /** 28000 "no pg_hba.conf entry" for an encrypted connection: host/user/database not admitted at all. */
  | 'hba-rejected'
  /** 28P01: the server checked a password, so the user does not log in with IAM. */
  | 'not-iam-user'
  /** 3D000 */
  | 'database-missing'
  /** 28000 role "x" does not exist (self-managed servers say so; RDS hides it behind PAM). */
  | 'role-missing'
  /** 53300 too_many_connections, 57P03 cannot_connect_now, 53xxx resources */
  | 'server-busy'
  /** The server answered "N" to SSLRequest: no TLS on offer. */
  | 'tls-unsupported'
  /** The peer accepted the connection (and TLS) but what it sent is no PostgreSQL protocol, or far too much of it. */
  | 'not-postgres'
  | 'net'
  | 'other';

export interface PgFailure {
  kind: PgFailureKind;
  /** SQLSTATE from the server's ErrorResponse, when there was one. */
  sqlstate?: string;
  /** The server's (or client's) message, first line. */
  message: string;
  net?: NetFailure;
}

interface DatabaseErrorLike {
  code: string;
  message: string;
  severity?: string;
}

function isServerError(err: unknown): err is DatabaseErrorLike {
  if (!err || typeof err !== 'object') return false;
  const e = err as Record<string, unknown>;
  // pg's DatabaseError carries the ErrorResponse fields; errno codes (ECONNREFUSED) are not SQLSTATEs.
  return (
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    ('severity' in e || 'routine' in e || 'file' in e)
  );
}

const has = (text: string, phrase: string) => text.toLowerCase().includes(phrase.toLowerCase());

/**
 * `wire` is what the connection got as far as (watch-wire.ts): with it, a timeout or a broken connection
 * is told apart by where it happened, and bytes that never made a PostgreSQL message name a peer that
 * speaks something else.
 */
export function classifyPgError(err: unknown, wire?: WireProgress): PgFailure {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500);
  if (isServerError(err)) {
    const sqlstate = err.code;
    const kind = kindOf(sqlstate, message);
    return { kind, sqlstate, message };
  }
  if (has(message, 'does not support SSL')) return { kind: 'tls-unsupported', message };
  if (wire?.tooLarge || (err as { code?: unknown } | undefined)?.code === BODY_TOO_LARGE)
    return {
      kind: 'not-postgres',
      message: `it sent more than ${formatBytes(MAX_PG_RECEIVED_BYTES)} during the login, which no PostgreSQL server does`,
    };
  // pg-protocol's words for a message type PostgreSQL does not have.
  if (has(message, 'received invalid response'))
    return { kind: 'not-postgres', message: `it sent bytes that are no PostgreSQL message (${message})` };
  // Where the protocol itself starts: after the TLS handshake, or at once on a plaintext connection.
  const started = wire !== undefined && (wire.encrypted ? wire.tls : wire.tcp);
  if (started && wire.messages === 0 && wire.bytes > 0)
    return {
      kind: 'not-postgres',
      message: `${wire.encrypted ? 'after the TLS handshake ' : ''}it sent ${wire.bytes} bytes that are no PostgreSQL message (${message})`,
    };
  if (started && isTimeoutError(err))
    return {
      kind: 'net',
      message,
      net: {
        code: 'NET-TIMEOUT',
        phase: 'startup',
        errno: 'timeout',
        reason:
          wire.messages > 0
            ? 'the server stopped answering in the middle of the login'
            : wire.encrypted
              ? 'TCP and TLS completed, but no PostgreSQL answer to the startup message came in time'
              : 'TCP connected, but no PostgreSQL answer to the startup message came in time',
      },
    };
  if (wire?.tcp && wire.encrypted && isTimeoutError(err)) {
    const net = classifyNetError(err, 'tls');
    if (net) return { kind: 'net', message, net };
  }
  const net = classifyNetError(err);
  if (net) return { kind: 'net', message, net };
  if (has(message, 'Connection terminated unexpectedly') || has(message, 'Connection terminated')) {
    return {
      kind: 'net',
      message,
      net: {
        code: 'NET-RESET',
        phase: 'tcp',
        errno: 'ECONNRESET',
        reason: 'the server closed the connection during login without an error message',
      },
    };
  }
  return { kind: 'other', message };
}

function kindOf(sqlstate: string, message: string): PgFailureKind {
  // RDS sends the PAM text under 28000, but a server or proxy may use 28P01 for it; the phrase decides
  // within the authorization class, or a rejected IAM token would read as a password user.
  if (sqlstate.startsWith('28') && has(message, 'PAM authentication failed')) return 'iam-auth-failed';
  if (sqlstate === '28000') {
    if (has(message, 'no pg_hba.conf entry'))
      return has(message, 'no encryption') || has(message, 'SSL off') ? 'ssl-required' : 'hba-rejected';
    if (/role ".*" does not exist/i.test(message)) return 'role-missing';
    return 'other';
  }
  if (sqlstate === '28P01') return 'not-iam-user';
  if (sqlstate === '3D000') return 'database-missing';
  if (sqlstate === '53300' || sqlstate === '57P03' || sqlstate.startsWith('53')) return 'server-busy';
  return 'other';
}
