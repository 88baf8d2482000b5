import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redact, redactDeep, registerSecret } from '../../../src/lib/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('redact', () => {
  it('masks registered values and a JWT signature on its own', () => {
    registerSecret('header.payload.SIGNATURE-CANARY-123');
    expect(redact('x SIGNATURE-CANARY-123 y')).not.toContain('SIGNATURE-CANARY-123');
  });

  it('masks JWTs, presigned signatures, session tokens and credential fields it never saw', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const url =
      'db:5432/?Action=connect&DBUser=u&X-Amz-Security-Token=FQoGZXIvYXdzEJr&X-Amz-Signature=abcdef0123456789';
    const out = redact(
      `${jwt} ${url} "SecretAccessKey":"wJalrXUtnFEMI/K7MDENG" <SessionToken>AQoDYXdzEJr</SessionToken>`,
    );
    expect(out).not.toContain('c2lnbmF0dXJl');
    expect(out).not.toContain('abcdef0123456789');
    expect(out).not.toContain('FQoGZXIvYXdzEJr');
    expect(out).not.toContain('wJalrXUtnFEMI');
    expect(out).not.toContain('AQoDYXdzEJr');
    expect(out).toContain('DBUser=u');
  });

  it('leaves ordinary report text alone and walks nested values', () => {
    const v = redactDeep({
      a: ['arn:aws:iam::111122223333:role/app'],
      b: { c: 'Token: super-secret-token-value' },
    });
    expect(v.a[0]).toBe('arn:aws:iam::111122223333:role/app');
    expect(v.b.c).not.toContain('super-secret-token-value');
  });
});
