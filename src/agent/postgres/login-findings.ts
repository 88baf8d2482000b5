import { fail, info, pass, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { netRemediation } from '../net/probe-findings.js';
import type { PgFailure } from './classify-pg-error.js';
import type { AuthMethod } from './pg-login.js';
import { quoteIdent } from './rds-db-resource.js';
import type { SessionFacts } from './session-facts.js';

export interface LoginFacts {
  host: string;
  port: number;
  user: string;
  database: string;
  region: string;
  regionSource: 'host name' | 'configuration';
  signer: { source: string; callerArn?: string; account?: string; isNodeRole: boolean };
  /** verify-full against --postgres-ca, or encrypted only. */
  tlsVerified: boolean;
}

const RDS_BUNDLE = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

function base(f: LoginFacts, authMethod?: AuthMethod): Record<string, unknown> {
  return {
    host: f.host,
    port: f.port,
    user: f.user,
    database: f.database,
    region: f.region,
    regionSource: f.regionSource,
    signedBy: { source: f.signer.source, arn: f.signer.callerArn, nodeRole: f.signer.isNodeRole },
    tls: f.tlsVerified ? 'verify-full' : 'require (not verified)',
    ...(authMethod ? { authMethod } : {}),
  };
}

/** What a successful login found out. Pure. */
export function sessionFindings(f: LoginFacts, s: SessionFacts, authMethod?: AuthMethod): Finding[] {
  const where = `${f.host}:${f.port}`;
  const details = {
    ...base(f, authMethod),
    serverVersion: s.serverVersion,
    currentUser: s.currentUser,
    rdsIamMember: s.rdsIamMember === undefined ? 'unknown' : s.rdsIamMember,
    privileges: s.privileges,
  };
  const signer = f.signer.callerArn
    ? `${f.signer.callerArn} (${f.signer.source})`
    : `${f.signer.source} credentials`;
  const out: Finding[] = [
    pass(
      'PG-LOGIN-OK',
      `Logged in to ${where} as "${s.currentUser}" (database "${s.database}"${s.serverVersion ? `, PostgreSQL ${s.serverVersion}` : ''}) with an IAM token signed by ${signer}; TLS ${f.tlsVerified ? 'verified (verify-full)' : 'not verified'}.`,
      details,
    ),
  ];
  if (!f.tlsVerified) {
    out.push(
      info(
        'PG-TLS-UNVERIFIED',
        `The connection to ${where} is encrypted but the server certificate was not verified. To verify chain and host name, download ${RDS_BUNDLE} and pass --postgres-ca global-bundle.pem.`,
        { host: f.host, port: f.port },
      ),
    );
  }
  if (f.signer.isNodeRole) {
    out.push(
      warn(
        'PG-SIGNED-BY-NODE-ROLE',
        `The login worked with the node role${f.signer.callerArn ? ` ${f.signer.callerArn}` : ''} (IMDS fallback, see CHAIN-IMDS-FALLBACK), not the pod's own role: every pod on the node can log in as "${f.user}".`,
        'Fix the pod identity (see CHAIN-IMDS-FALLBACK), grant rds-db:connect to the pod role, remove it from the node role, and set the node launch template http_put_response_hop_limit = 1.',
        { ...details, see: 'CHAIN-IMDS-FALLBACK' },
      ),
    );
  }
  // Unknown (the server would not say) is not evidence either way.
  if (s.rdsIamMember === false || s.rdsIamMember === null) {
    const msg =
      s.rdsIamMember === null
        ? `The token login to ${where} worked, but the server has no rds_iam role: this is not an Aurora/RDS endpoint (a proxy or self-managed server accepted the token as a password).`
        : `The token login to ${where} worked, but "${s.currentUser}" is not a member of rds_iam: the endpoint is not the cluster itself (RDS Proxy logs in with its own secret) or the grant was revoked; a direct IAM login to the cluster will be refused.`;
    out.push(
      warn(
        'PG-RDS-IAM-MISSING',
        msg,
        `As the master user: GRANT rds_iam TO ${quoteIdent(s.currentUser)};`,
        details,
      ),
    );
  }
  const p = s.privileges;
  const missingDb = [p.connect === false ? 'CONNECT' : '', p.create === false ? 'CREATE' : ''].filter(
    Boolean,
  );
  if (missingDb.length > 0) {
    out.push(
      warn(
        'PG-DB-PRIVILEGES',
        `"${s.currentUser}" lacks ${missingDb.map((m) => `${m} on database ${s.database}`).join(', ')}; Camunda components create their tables at start-up and will fail.`,
        `As the database owner or master user: GRANT ALL PRIVILEGES ON DATABASE ${quoteIdent(s.database)} TO ${quoteIdent(s.currentUser)};`,
        details,
      ),
    );
  }
  // Only a note: the documented requirement is CONNECT/CREATE on the database, which GRANT ALL ON DATABASE
  // gives; since PostgreSQL 15 that no longer includes creating in schema public, which matters only to
  // components that put their tables there instead of in a schema of their own.
  if (p.schemaPublic && p.schemaPublic.create === false) {
    const grant = `GRANT ALL ON SCHEMA public TO ${quoteIdent(s.currentUser)};`;
    out.push({
      ...info(
        'PG-SCHEMA-PRIVILEGES',
        `"${s.currentUser}" may not CREATE in schema public of database ${s.database} (PostgreSQL 15+ no longer lets PUBLIC create there, and GRANT ALL ON DATABASE does not cover schemas); if a component creates its tables in public, connected to ${s.database} run: ${grant}`,
        { ...details, schema: 'public', schemaPrivileges: p.schemaPublic, grant },
      ),
      remediation: `If tables are created in schema public: as the database owner or master user, connected to ${s.database}: ${grant}`,
    });
  }
  return out;
}

/** Maps a non-IAM login failure to its finding. Pure. IAM (PAM) failures go through iamAuthFailure. */
export function failureFinding(f: LoginFacts, e: PgFailure, authMethod?: AuthMethod): Finding {
  const where = `${f.host}:${f.port}`;
  const said = e.sqlstate ? `FATAL ${e.sqlstate} ${e.message}` : e.message;
  const details = {
    ...base(f, authMethod),
    ...(e.sqlstate ? { sqlstate: e.sqlstate } : {}),
    serverMessage: e.message,
  };
  const u = quoteIdent(f.user);
  const db = quoteIdent(f.database);
  switch (e.kind) {
    case 'ssl-required':
    case 'tls-unsupported':
      return fail(
        'PG-SSL-REQUIRED',
        e.kind === 'tls-unsupported'
          ? `${where} offers no TLS: ${e.message}. IAM authentication only works over SSL, so the token was not sent.`
          : `${where} refused the login because it was not encrypted: ${said}. IAM authentication only works over SSL.`,
        'Connect straight to the cluster endpoint with SSL (sslmode=require or verify-full; JDBC ssl=true&sslmode=verify-full), or enable TLS on the proxy/pooler in between.',
        details,
      );
    case 'hba-rejected':
      return fail(
        'PG-HBA-REJECTED',
        `${where} has no pg_hba.conf entry admitting this connection: ${said}.`,
        `Add a hostssl line for user ${f.user} and database ${f.database} from the pod CIDR (self-managed server), or connect to the Aurora cluster endpoint.`,
        details,
      );
    case 'not-iam-user':
      return fail(
        'PG-NOT-IAM-USER',
        `${where} checked the token as a ${authMethod === 'scram' ? 'SCRAM ' : authMethod === 'md5' ? 'MD5 ' : ''}password and refused it (${said}): "${f.user}" is a password user, not an IAM (rds_iam) user.`,
        `As the master user: GRANT rds_iam TO ${u}; (the user then logs in only with IAM tokens), or pass the IAM user the application uses with --postgres-user.`,
        details,
      );
    case 'database-missing':
      return fail(
        'PG-DATABASE-MISSING',
        `The IAM login worked but database "${f.database}" does not exist on ${where} (${said}).`,
        `As the master user: CREATE DATABASE ${db}; GRANT ALL PRIVILEGES ON DATABASE ${db} TO ${u}; or pass the existing database with --postgres-database.`,
        details,
      );
    case 'role-missing':
      return fail(
        'PG-ROLE-MISSING',
        `${where}: ${said}.`,
        `As the master user: CREATE USER ${u}; GRANT rds_iam TO ${u};`,
        details,
      );
    case 'server-busy':
      return fail(
        'PG-SERVER-BUSY',
        `${where} refused new connections: ${said}.`,
        'Wait until the cluster status is available, or raise max_connections / close idle sessions.',
        details,
      );
    case 'net': {
      const n = e.net!;
      return fail(
        n.code,
        `${where}: the login failed on the network: ${n.reason} (${n.errno}).`,
        netRemediation(
          n,
          { host: f.host, port: f.port },
          { service: 'PostgreSQL', verifyTls: f.tlsVerified },
        ),
        details,
      );
    }
    default:
      return fail(
        'PG-LOGIN-FAILED',
        `${where} refused the login: ${said}.`,
        'Act on the server message (details.sqlstate, details.serverMessage).',
        details,
      );
  }
}
