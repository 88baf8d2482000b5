import type { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type pg from 'pg';
import { withDeadline } from '../../lib/deadline.js';
import { loadCommonJs } from '../../lib/load-common-js.js';
import { registerSecret } from '../../lib/redact.js';
import { classifyPgError, type PgFailure } from './classify-pg-error.js';
import { readSessionFacts, type SessionFacts } from './session-facts.js';
import { watchWire } from './watch-wire.js';

/** How the server asked for the password; IAM users on RDS get cleartext (PAM), password users SCRAM/MD5. */
export type AuthMethod = 'cleartext' | 'md5' | 'scram';

export type IamLoginResult =
  | { ok: true; session: SessionFacts; authMethod?: AuthMethod; tokenAgeMs: number }
  | {
      ok: false;
      failure: PgFailure;
      authMethod?: AuthMethod;
      tokenAgeMs: number;
      stage: 'sign' | 'connect';
    };

export interface IamLoginOptions {
  host: string;
  port: number;
  /** Dial this IP instead of host (libpq's hostaddr); the token and TLS still name host. */
  address?: string;
  user: string;
  database: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
  /** PEM bundle: verify-full (chain and host name). Without it TLS is used but not verified. */
  ca?: string;
  deadlineMs: number;
  signal?: AbortSignal;
}

/**
 * Logs in the way the aws-advanced-jdbc-wrapper's IAM plugin does: a token from rds-signer for
 * exactly the host:port dialled, sent as the password over TLS. Never throws for login outcomes.
 */
export async function loginWithIamToken(o: IamLoginOptions): Promise<IamLoginResult> {
  let token: string;
  const signedAt = performance.now();
  const age = () => Math.round(performance.now() - signedAt);
  try {
    const { Signer } = await loadCommonJs(import('@aws-sdk/rds-signer'));
    token = await new Signer({
      hostname: o.host,
      port: o.port,
      username: o.user,
      region: o.region,
      credentials: o.credentials,
    }).getAuthToken();
    registerSecret(token);
  } catch (e) {
    return { ok: false, failure: classifyPgError(e), tokenAgeMs: 0, stage: 'sign' };
  }
  // pg sets the TLS server name from host only when host is a name: with an address dialled, the
  // name to verify is passed explicitly.
  const servername = o.address && !isIP(o.host) ? { servername: o.host } : {};
  const client = new (await loadPg()).Client({
    host: o.address ?? o.host,
    port: o.port,
    user: o.user,
    database: o.database,
    password: token,
    ssl: o.ca
      ? { ca: o.ca, rejectUnauthorized: true, ...servername }
      : { rejectUnauthorized: false, ...servername },
    connectionTimeoutMillis: Math.max(1, o.deadlineMs),
    query_timeout: Math.max(1, o.deadlineMs),
    application_name: 'irsa-doctor',
  });
  const authMethod = watchAuthMethod(client);
  const version = watchServerVersion(client);
  const wire = watchWire(client);
  client.on('error', () => undefined);
  try {
    await withDeadline(client.connect(), o.deadlineMs + 250, 'PostgreSQL login', o.signal);
  } catch (e) {
    void client.end().catch(() => undefined);
    return {
      ok: false,
      failure: classifyPgError(e, wire()),
      authMethod: authMethod(),
      tokenAgeMs: age(),
      stage: 'connect',
    };
  }
  const tokenAgeMs = age();
  try {
    // The login worked once connect() resolved; what the session may do is asked afterwards, and a question
    // the server cannot answer leaves that fact unknown rather than failing the login.
    const session = await readSessionFacts(
      client,
      { user: o.user, database: o.database, ...(version() ? { serverVersion: version() } : {}) },
      o.deadlineMs,
      o.signal,
    );
    return { ok: true, session, authMethod: authMethod(), tokenAgeMs };
  } finally {
    await withDeadline(client.end(), 1000, 'PostgreSQL logout').catch(() => undefined);
  }
}

export type PlaintextOutcome =
  | { kind: 'refused'; failure: PgFailure }
  | { kind: 'password-requested'; authMethod?: AuthMethod }
  | { kind: 'accepted' }
  | { kind: 'error'; failure: PgFailure };

class PasswordWithheld extends Error {}

/**
 * When the server offers no TLS: start a plaintext session to hear what it says, but never send the
 * token (a bearer credential) unencrypted. A pg_hba refusal arrives before any password request.
 */
export async function plaintextStartup(
  o: Omit<IamLoginOptions, 'credentials' | 'region' | 'ca'>,
): Promise<PlaintextOutcome> {
  const client = new (await loadPg()).Client({
    host: o.address ?? o.host,
    port: o.port,
    user: o.user,
    database: o.database,
    ssl: false,
    password: () => {
      throw new PasswordWithheld('password withheld: the connection is not encrypted');
    },
    connectionTimeoutMillis: Math.max(1, o.deadlineMs),
    application_name: 'irsa-doctor',
  });
  const authMethod = watchAuthMethod(client);
  const wire = watchWire(client);
  client.on('error', () => undefined);
  try {
    await withDeadline(client.connect(), o.deadlineMs + 250, 'PostgreSQL plaintext startup', o.signal);
    return { kind: 'accepted' };
  } catch (e) {
    if (e instanceof PasswordWithheld) return { kind: 'password-requested', authMethod: authMethod() };
    const failure = classifyPgError(e, wire());
    return failure.sqlstate ? { kind: 'refused', failure } : { kind: 'error', failure };
  } finally {
    void client.end().catch(() => undefined);
  }
}

function watchAuthMethod(client: pg.Client): () => AuthMethod | undefined {
  let method: AuthMethod | undefined;
  const con = (client as unknown as { connection?: EventEmitter }).connection;
  con?.once('authenticationCleartextPassword', () => {
    method = 'cleartext';
  });
  con?.once('authenticationMD5Password', () => {
    method = 'md5';
  });
  con?.once('authenticationSASL', () => {
    method = 'scram';
  });
  return () => method;
}

/** Every server reports server_version in a ParameterStatus during startup; no query needed. */
function watchServerVersion(client: pg.Client): () => string | undefined {
  let version: string | undefined;
  const con = (client as unknown as { connection?: EventEmitter }).connection;
  con?.on('parameterStatus', (m: { parameterName?: string; parameterValue?: string }) => {
    if (m.parameterName === 'server_version' && m.parameterValue) version = m.parameterValue;
  });
  return () => version;
}

/** pg and rds-signer load on first use, so runs without --postgres do not pay for them at start-up. */
async function loadPg(): Promise<typeof pg> {
  return loadCommonJs(import('pg')) as Promise<typeof pg>;
}
