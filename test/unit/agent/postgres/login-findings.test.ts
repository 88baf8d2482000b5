import { describe, expect, it } from 'vitest';
import {
  failureFinding,
  type LoginFacts,
  sessionFindings,
} from '../../../../src/agent/postgres/login-findings.js';
import type { SessionFacts } from '../../../../src/agent/postgres/session-facts.js';

const facts: LoginFacts = {
  host: 'h',
  port: 5432,
  user: 'zeebe',
  database: 'camunda',
  region: 'eu-west-1',
  regionSource: 'host name',
  signer: {
    source: 'web-identity',
    callerArn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    isNodeRole: false,
  },
  tlsVerified: true,
};
const session = (o: Partial<SessionFacts> = {}): SessionFacts => ({
  serverVersion: '16.4',
  currentUser: 'zeebe',
  database: 'camunda',
  rdsIamMember: true,
  privileges: { connect: true, create: true, temp: true, schemaPublic: { usage: true, create: true } },
  ...o,
});
const codes = (fs: { code: string; status: string }[]) => fs.map((f) => `${f.code}:${f.status}`);

describe('sessionFindings', () => {
  it('passes a healthy, verified login', () => {
    expect(codes(sessionFindings(facts, session()))).toEqual(['PG-LOGIN-OK:pass']);
  });
  it('notes unverified TLS, node-role signing, missing rds_iam and privileges', () => {
    const f = sessionFindings(
      { ...facts, tlsVerified: false, signer: { source: 'imds', isNodeRole: true } },
      session({
        rdsIamMember: false,
        privileges: {
          connect: true,
          create: false,
          temp: true,
          schemaPublic: { usage: true, create: false },
        },
      }),
    );
    expect(codes(f)).toEqual([
      'PG-LOGIN-OK:pass',
      'PG-TLS-UNVERIFIED:info',
      'PG-SIGNED-BY-NODE-ROLE:warn',
      'PG-RDS-IAM-MISSING:warn',
      'PG-DB-PRIVILEGES:warn',
      'PG-SCHEMA-PRIVILEGES:info',
    ]);
    const node = f.find((x) => x.code === 'PG-SIGNED-BY-NODE-ROLE');
    expect(node?.message).toContain('see CHAIN-IMDS-FALLBACK');
    expect(node?.details?.see).toBe('CHAIN-IMDS-FALLBACK');
    const priv = f.find((x) => x.code === 'PG-DB-PRIVILEGES');
    expect(priv?.remediation).toContain('GRANT ALL PRIVILEGES ON DATABASE "camunda" TO "zeebe";');
    expect(priv?.remediation).not.toContain('SCHEMA');
    const schema = f.find((x) => x.code === 'PG-SCHEMA-PRIVILEGES');
    expect(schema?.message).toContain('GRANT ALL ON SCHEMA public TO "zeebe";');
    expect(schema?.details).toMatchObject({ grant: 'GRANT ALL ON SCHEMA public TO "zeebe";' });
  });
  it('GRANT ALL ON DATABASE on PostgreSQL 15+ (no CREATE in schema public) is not a database-privilege warning', () => {
    const f = sessionFindings(
      facts,
      session({
        privileges: {
          connect: true,
          create: true,
          temp: true,
          schemaPublic: { usage: true, create: false },
        },
      }),
    );
    expect(codes(f)).toEqual(['PG-LOGIN-OK:pass', 'PG-SCHEMA-PRIVILEGES:info']);
  });
  it('treats a server without rds_iam as not RDS', () => {
    expect(codes(sessionFindings(facts, session({ rdsIamMember: null })))).toContain(
      'PG-RDS-IAM-MISSING:warn',
    );
  });
});

describe('failureFinding', () => {
  it.each([
    ['ssl-required', 'PG-SSL-REQUIRED'],
    ['tls-unsupported', 'PG-SSL-REQUIRED'],
    ['hba-rejected', 'PG-HBA-REJECTED'],
    ['not-iam-user', 'PG-NOT-IAM-USER'],
    ['database-missing', 'PG-DATABASE-MISSING'],
    ['role-missing', 'PG-ROLE-MISSING'],
    ['server-busy', 'PG-SERVER-BUSY'],
    ['other', 'PG-LOGIN-FAILED'],
  ] as const)('%s -> %s', (kind, code) => {
    const f = failureFinding(facts, { kind, message: 'm', sqlstate: '28000' });
    expect(f).toMatchObject({ code, status: 'fail' });
    expect(f.remediation).toBeTruthy();
  });
  it('gives the exact SQL for a missing database and a password user', () => {
    expect(failureFinding(facts, { kind: 'database-missing', message: 'm' }).remediation).toContain(
      '`CREATE DATABASE "camunda";` `GRANT ALL PRIVILEGES ON DATABASE "camunda" TO "zeebe";`',
    );
    expect(failureFinding(facts, { kind: 'not-iam-user', message: 'm' }).remediation).toContain(
      'GRANT rds_iam TO "zeebe";',
    );
  });
  it('reuses the NET code of a network failure', () => {
    const f = failureFinding(facts, {
      kind: 'net',
      message: 'm',
      net: { code: 'NET-TIMEOUT', phase: 'tcp', errno: 'timeout', reason: 'r' },
    });
    expect(f.code).toBe('NET-TIMEOUT');
    expect(f.remediation).toContain('authorize-security-group-ingress');
  });
});
