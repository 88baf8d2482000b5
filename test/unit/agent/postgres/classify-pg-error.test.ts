import { describe, expect, it } from 'vitest';
import { classifyPgError } from '../../../../src/agent/postgres/classify-pg-error.js';

const serverError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'FATAL', routine: 'auth_failed' });

describe('classifyPgError', () => {
  it.each([
    ['28000', 'PAM authentication failed for user "zeebe"', 'iam-auth-failed'],
    ['28000', 'pam authentication FAILED for user "zeebe"', 'iam-auth-failed'],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", no encryption',
      'ssl-required',
    ],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", SSL off',
      'ssl-required',
    ],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", SSL encryption',
      'hba-rejected',
    ],
    ['28000', 'role "zeebe" does not exist', 'role-missing'],
    ['28P01', 'password authentication failed for user "legacy"', 'not-iam-user'],
    ['3D000', 'database "camunda" does not exist', 'database-missing'],
    ['53300', 'sorry, too many clients already', 'server-busy'],
    ['57P03', 'the database system is starting up', 'server-busy'],
    ['XX000', 'internal error', 'other'],
  ])('%s %s -> %s', (code, message, kind) => {
    expect(classifyPgError(serverError(code, message))).toMatchObject({ kind, sqlstate: code });
  });
  it('keys on SQLSTATE, not on the phrase alone', () => {
    expect(classifyPgError(serverError('08006', 'PAM authentication failed')).kind).toBe('other');
  });
  it('trusts the PAM phrase under any 28xxx class code, not only 28000', () => {
    // A server (or proxy) that answers the PAM rejection with invalid_password must still get the IAM checklist.
    expect(classifyPgError(serverError('28P01', 'PAM authentication failed for user "zeebe"'))).toMatchObject(
      { kind: 'iam-auth-failed', sqlstate: '28P01' },
    );
    expect(classifyPgError(serverError('28P01', 'password authentication failed for user "x"')).kind).toBe(
      'not-iam-user',
    );
  });
  it('maps client-side failures to network kinds', () => {
    expect(classifyPgError(new Error('The server does not support SSL connections')).kind).toBe(
      'tls-unsupported',
    );
    expect(
      classifyPgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({ kind: 'net', net: { code: 'NET-REFUSED' } });
    expect(classifyPgError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toMatchObject({
      kind: 'net',
      net: { code: 'NET-TLS' },
    });
    expect(classifyPgError(new Error('Connection terminated due to connection timeout')).net?.code).toBe(
      'NET-TIMEOUT',
    );
    expect(classifyPgError(new Error('Connection terminated unexpectedly')).net?.code).toBe('NET-RESET');
  });
});
