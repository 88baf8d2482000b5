import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { netFinding } from '../net/net-finding.js';
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
  /** verify-full against --postgres-ca or the bundled RDS CA, or encrypted only. */
  tlsVerified: boolean;
  /** Which CA checked the certificate: words for messages, and the detail. */
  tlsCa?: { text: string; detail: Record<string, unknown> };
}

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
    ...(f.tlsCa ? { tlsCa: f.tlsCa.detail } : {}),
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
  const fix = {
    user: s.currentUser,
    quotedUser: quoteIdent(s.currentUser),
    database: s.database,
    quotedDatabase: quoteIdent(s.database),
  };
  const out: Finding[] = [
    finding(
      'PG-LOGIN-OK',
      `Logged in to ${where} as "${s.currentUser}" (database "${s.database}"${s.serverVersion ? `, PostgreSQL ${s.serverVersion}` : ''}) with an IAM token signed by ${signer}; TLS ${f.tlsVerified ? `verified (verify-full${f.tlsCa ? `, against ${f.tlsCa.text}` : ''})` : 'not verified'}.`,
      { details },
    ),
  ];
  if (!f.tlsVerified) {
    out.push(
      finding(
        'PG-TLS-UNVERIFIED',
        `The connection to ${where} is encrypted but the server certificate was not verified (${f.tlsCa?.text ?? 'no --postgres-ca'}).`,
        { details: { host: f.host, port: f.port, ...(f.tlsCa ? { tlsCa: f.tlsCa.detail } : {}) } },
      ),
    );
  }
  if (f.signer.isNodeRole) {
    out.push(
      finding(
        'PG-SIGNED-BY-NODE-ROLE',
        `The login worked with the node role${f.signer.callerArn ? ` ${f.signer.callerArn}` : ''} (IMDS fallback, see CHAIN-IMDS-FALLBACK), not the pod's own role: every pod on the node can log in as "${f.user}".`,
        { details: { ...details, see: 'CHAIN-IMDS-FALLBACK' } },
      ),
    );
  }
  // Unknown (the server would not say) is not evidence either way.
  if (s.rdsIamMember === false || s.rdsIamMember === null) {
    const msg =
      s.rdsIamMember === null
        ? `The token login to ${where} worked, but the server has no rds_iam role: this is not an Aurora/RDS endpoint (a proxy or self-managed server accepted the token as a password).`
        : `The token login to ${where} worked, but "${s.currentUser}" is not a member of rds_iam: the endpoint is not the cluster itself (RDS Proxy logs in with its own secret) or the grant was revoked; a direct IAM login to the cluster will be refused.`;
    out.push(finding('PG-RDS-IAM-MISSING', msg, { fix, details }));
  }
  const p = s.privileges;
  const missingDb = [p.connect === false ? 'CONNECT' : '', p.create === false ? 'CREATE' : ''].filter(
    Boolean,
  );
  if (missingDb.length > 0) {
    out.push(
      finding(
        'PG-DB-PRIVILEGES',
        `"${s.currentUser}" lacks ${missingDb.map((m) => `${m} on database ${s.database}`).join(', ')}; Camunda components create their tables at start-up and will fail.`,
        { fix, details },
      ),
    );
  }
  // Only a note: the documented requirement is CONNECT/CREATE on the database, which GRANT ALL ON DATABASE
  // gives; since PostgreSQL 15 that no longer includes creating in schema public, which matters only to
  // components that put their tables there instead of in a schema of their own.
  if (p.schemaPublic && p.schemaPublic.create === false) {
    const grant = `GRANT ALL ON SCHEMA public TO ${quoteIdent(s.currentUser)};`;
    out.push(
      finding(
        'PG-SCHEMA-PRIVILEGES',
        `"${s.currentUser}" may not CREATE in schema public of database ${s.database} (PostgreSQL 15+ no longer lets PUBLIC create there, and GRANT ALL ON DATABASE does not cover schemas); if a component creates its tables in public, connected to ${s.database} run: ${grant}`,
        { fix, details: { ...details, schema: 'public', schemaPrivileges: p.schemaPublic, grant } },
      ),
    );
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
  const fix = {
    host: f.host,
    port: f.port,
    user: f.user,
    database: f.database,
    quotedUser: quoteIdent(f.user),
    quotedDatabase: quoteIdent(f.database),
  };
  switch (e.kind) {
    case 'ssl-required':
    case 'tls-unsupported':
      return finding(
        'PG-SSL-REQUIRED',
        e.kind === 'tls-unsupported'
          ? `${where} offers no TLS: ${e.message}. IAM authentication only works over SSL, so the token was not sent.`
          : `${where} refused the login because it was not encrypted: ${said}. IAM authentication only works over SSL.`,
        { details },
      );
    case 'hba-rejected':
      return finding(
        'PG-HBA-REJECTED',
        `${where} has no pg_hba.conf entry admitting this connection: ${said}.`,
        {
          fix,
          details,
        },
      );
    case 'not-iam-user':
      return finding(
        'PG-NOT-IAM-USER',
        `${where} checked the token as a ${authMethod === 'scram' ? 'SCRAM ' : authMethod === 'md5' ? 'MD5 ' : ''}password and refused it (${said}): "${f.user}" is a password user, not an IAM (rds_iam) user.`,
        { fix, details },
      );
    case 'database-missing':
      return finding(
        'PG-DATABASE-MISSING',
        `The IAM login worked but database "${f.database}" does not exist on ${where} (${said}).`,
        { fix, details },
      );
    case 'role-missing':
      return finding('PG-ROLE-MISSING', `${where}: ${said}.`, { fix, details });
    case 'server-busy':
      return finding('PG-SERVER-BUSY', `${where} refused new connections: ${said}.`, { details });
    case 'not-postgres':
      return finding('PG-NOT-POSTGRES', `${where} is not PostgreSQL: ${e.message}.`, {
        fix: { host: f.host, port: f.port },
        details,
      });
    case 'net': {
      const n = e.net!;
      return netFinding(
        n,
        `${where}: the login failed on the network: ${n.reason} (${n.errno}).`,
        { service: 'PostgreSQL', host: f.host, port: f.port },
        { details },
      );
    }
    default:
      return finding('PG-LOGIN-FAILED', `${where} refused the login: ${said}.`, { details });
  }
}
