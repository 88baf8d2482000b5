// An Aurora/RDS-style PostgreSQL endpoint: TLS, IAM token check, then byte-for-byte pass-through to a
// real PostgreSQL server. RDS verifies the token in a PAM module, which PostgreSQL's own PAM cannot
// carry (REFERENCE section 8), so the check lives here, in front of the server.
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { IamAccount } from './iam.js';
import {
  authenticationCleartextPassword,
  CANCEL_REQUEST_CODE,
  errorResponse,
  FrameReader,
  GSSENC_REQUEST_CODE,
  PROTOCOL_V3,
  passwordOf,
  SSL_REQUEST_CODE,
} from './pg-wire.js';
import type { PostgresServer } from './postgres-server.js';
import { type SigV4Failure, verifySigV4 } from './sigv4-verify.js';

export type RejectionReason =
  | 'no-ssl'
  | 'unknown-user'
  | 'not-rds-iam-member'
  | 'iam-auth-disabled'
  | 'not-a-token'
  | SigV4Failure
  | 'credentials-expired'
  | 'wrong-service'
  | 'wrong-region'
  | 'wrong-endpoint'
  | 'wrong-action'
  | 'wrong-db-user'
  | 'wrong-expires'
  | 'not-authorized';

/** Why a login was refused. Kept for tests; the client only ever sees RDS's generic text. */
export interface Rejection {
  user: string;
  database: string;
  reason: RejectionReason;
  detail: string;
}

export interface RdsFrontDoorOptions {
  iam: IamAccount;
  postgres: PostgresServer;
  region: string;
  accountId?: string;
  /** The cluster resource id (`cluster-XXXX`) that IAM policies must name. */
  resourceId: string;
  clusterIdentifier: string;
  /** Host name tokens must be signed for; defaults to 127.0.0.1. */
  endpointHost?: string;
  iamAuthEnabled?: boolean;
  tls: { certPem: string; keyPem: string } | undefined;
  /** rds.force_ssl: refuse unencrypted connections in pg_hba fashion. */
  forceSsl?: boolean;
  /** Clock used for token expiry, so tests can age a token without waiting. */
  now?: () => Date;
}

export interface RdsFrontDoor {
  host: '127.0.0.1';
  port: number;
  endpoint: string;
  endpointHost: string;
  lastRejections: Rejection[];
  setIamAuthEnabled(enabled: boolean): void;
  close(): Promise<void>;
}

type Verdict = { ok: true } | { ok: false; reason: RejectionReason; detail: string };

/** Checks an RDS IAM auth token the way RDS does, without any help from the signer under test. */
export function verifyRdsAuthToken(
  token: string,
  expect: {
    iam: IamAccount;
    user: string;
    region: string;
    endpoint: string;
    resourceArnPrefix: string;
    now: Date;
  },
): Verdict {
  const slash = token.indexOf('/?');
  if (slash <= 0) return { ok: false, reason: 'not-a-token', detail: 'password is not a presigned URL' };
  const hostPort = token.slice(0, slash);
  const path = token.slice(slash);
  const sig = verifySigV4({ method: 'GET', path, headers: { host: hostPort } }, expect.iam, expect.now);
  if (!sig.ok) return { ok: false, reason: sig.reason, detail: sig.message };
  const query = new URLSearchParams(path.slice(2));
  const fail = (reason: RejectionReason, detail: string): Verdict => ({ ok: false, reason, detail });
  if (sig.credentials.expiration.getTime() <= expect.now.getTime())
    return fail('credentials-expired', `credentials ${sig.accessKeyId} expired`);
  if (sig.service !== 'rds-db') return fail('wrong-service', `signed for service ${sig.service}`);
  if (sig.region !== expect.region) return fail('wrong-region', `signed for region ${sig.region}`);
  if (hostPort.toLowerCase() !== expect.endpoint.toLowerCase())
    return fail('wrong-endpoint', `signed for ${hostPort}, endpoint is ${expect.endpoint}`);
  if (query.get('Action') !== 'connect') return fail('wrong-action', `Action=${query.get('Action')}`);
  if (query.get('DBUser') !== expect.user)
    return fail('wrong-db-user', `signed for DBUser ${query.get('DBUser')}, login as ${expect.user}`);
  const expires = Number(query.get('X-Amz-Expires'));
  if (!(expires > 0 && expires <= 900)) return fail('wrong-expires', `X-Amz-Expires=${expires}, at most 900`);
  const resource = `${expect.resourceArnPrefix}/${expect.user}`;
  if (!expect.iam.isAllowed(sig.credentials.roleArn, 'rds-db:connect', resource))
    return fail('not-authorized', `${sig.credentials.roleArn} may not rds-db:connect on ${resource}`);
  return { ok: true };
}

interface RoleInfo {
  rds_iam: boolean;
  has_password: boolean;
}

// Membership as pg_hba's `+rds_iam` sees it: direct or inherited grants, no superuser shortcut
// (pg_has_role would call every superuser a member).
const ROLE_SQL = `
with recursive target as (select oid, rolpassword is not null as has_password from pg_authid where rolname = $1),
granted(roleid) as (
  select m.roleid from pg_auth_members m join target t on m.member = t.oid
  union select m.roleid from pg_auth_members m join granted g on m.member = g.roleid)
select t.has_password,
  exists(select 1 from granted g join pg_roles r on r.oid = g.roleid where r.rolname = 'rds_iam') as rds_iam
from target t`;

export async function startRdsFrontDoor(opts: RdsFrontDoorOptions): Promise<RdsFrontDoor> {
  const { iam, postgres, region } = opts;
  const endpointHost = opts.endpointHost ?? '127.0.0.1';
  const accountId = opts.accountId ?? iam.accountId;
  const resourceArnPrefix = `arn:${iam.partition}:rds-db:${region}:${accountId}:dbuser:${opts.resourceId}`;
  const forceSsl = opts.forceSsl ?? true;
  const now = opts.now ?? (() => new Date());
  const secureContext = opts.tls && createSecureContext({ cert: opts.tls.certPem, key: opts.tls.keyPem });
  let iamAuthEnabled = opts.iamAuthEnabled ?? true;
  const lastRejections: Rejection[] = [];
  const sockets = new Set<Socket>();
  let endpoint = '';

  const handle = async (raw: Socket): Promise<void> => {
    let client: Duplex = raw;
    let reader = new FrameReader(raw);
    let encrypted = false;
    let pkt = await reader.readStartup();
    if (pkt.code === GSSENC_REQUEST_CODE) {
      raw.write('N');
      pkt = await reader.readStartup();
    }
    if (pkt.code === SSL_REQUEST_CODE && !secureContext) {
      raw.write('N');
      pkt = await reader.readStartup();
    } else if (pkt.code === SSL_REQUEST_CODE && secureContext) {
      reader.detach();
      raw.write('S');
      const tls = new TLSSocket(raw, { isServer: true, secureContext });
      tls.on('error', () => raw.destroy());
      client = tls;
      reader = new FrameReader(tls);
      encrypted = true;
      pkt = await reader.readStartup();
    }
    if (pkt.code === CANCEL_REQUEST_CODE) {
      // Cancel requests carry the real server's key and need no login: hand them straight over.
      netConnect(postgres.port, postgres.host)
        .on('error', () => undefined)
        .end(pkt.raw);
      client.end();
      return;
    }
    if (pkt.code !== PROTOCOL_V3) return void client.destroy();
    const user = pkt.params.user ?? '';
    const database = pkt.params.database ?? user;
    const reject = (reason: RejectionReason, detail: string, message: string, routine: string): void => {
      lastRejections.push({ user, database, reason, detail });
      client.end(errorResponse({ severity: 'FATAL', code: '28000', message, file: 'auth.c', routine }));
    };
    if (forceSsl && !encrypted) {
      const host = (raw.remoteAddress ?? '').replace(/^::ffff:/, '');
      return reject(
        'no-ssl',
        'rds.force_ssl is on and the client did not use SSL',
        `no pg_hba.conf entry for host "${host}", user "${user}", database "${database}", no encryption`,
        'ClientAuthentication',
      );
    }
    const role = (await postgres.query<RoleInfo>(ROLE_SQL, [user])).rows[0];
    const relay = (path: { port: number; host: string } | { path: string }): void => {
      const backend = netConnect(path);
      backend.on('error', () => client.destroy());
      client.on('error', () => backend.destroy());
      client.on('close', () => backend.destroy());
      backend.on('close', () => client.destroy());
      backend.write(pkt.raw);
      const rest = reader.detach();
      if (rest.length > 0) backend.write(rest);
      client.pipe(backend);
      backend.pipe(client);
    };
    // Not an IAM user: RDS's pg_hba sends it to password auth, which the real server performs.
    if (role && !role.rds_iam && role.has_password)
      return relay({ port: postgres.port, host: postgres.host });

    client.write(authenticationCleartextPassword());
    const msg = await reader.readMessage();
    if (msg.type !== 'p') return void client.destroy();
    const verdict: Verdict = !role
      ? { ok: false, reason: 'unknown-user', detail: `role "${user}" does not exist` }
      : !role.rds_iam
        ? { ok: false, reason: 'not-rds-iam-member', detail: `role "${user}" is not a member of rds_iam` }
        : !iamAuthEnabled
          ? {
              ok: false,
              reason: 'iam-auth-disabled',
              detail: `IAM authentication is off on ${opts.clusterIdentifier}`,
            }
          : verifyRdsAuthToken(passwordOf(msg), {
              iam,
              user,
              region,
              endpoint,
              resourceArnPrefix,
              now: now(),
            });
    if (!verdict.ok) {
      return reject(
        verdict.reason,
        verdict.detail,
        `PAM authentication failed for user "${user}"`,
        'auth_failed',
      );
    }
    // The unix socket admits rds_iam members without a password (pg_hba `local all +rds_iam trust`):
    // the token check above is their authentication, as PAM is on RDS.
    relay({ path: postgres.socketPath });
  };

  const server: Server = createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
    handle(raw).catch(() => raw.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('front door has no TCP address');
  const port = address.port;
  endpoint = `${endpointHost}:${port}`;

  return {
    host: '127.0.0.1',
    port,
    endpoint,
    endpointHost,
    lastRejections,
    setIamAuthEnabled(enabled) {
      iamAuthEnabled = enabled;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
