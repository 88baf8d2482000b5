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

  it('masks the password of every user:password@ in a URL, with or without a scheme, and keeps the user', () => {
    const cases: Array<[string, string]> = [
      [
        'STS at http://admin:pw-CANARY@127.0.0.1:1 did not answer',
        'STS at http://admin:<redacted>@127.0.0.1:1 did not answer',
      ],
      ['--opensearch "https://admin:pw-CANARY@os:443/x"', '--opensearch "https://admin:<redacted>@os:443/x"'],
      ['mysql://admin:pw-CANARY@db:5432/app', 'mysql://admin:<redacted>@db:5432/app'],
      ['HTTPS_PROXY=HTTP://u:pw-CANARY@proxy:3128', 'HTTPS_PROXY=HTTP://u:<redacted>@proxy:3128'],
      // The host follows the last @: a password may hold @ and :.
      ['http://admin:p@ss:w-CANARY@host/x', 'http://admin:<redacted>@host/x'],
      ['http://admin:pw\\x07-CANARY@host', 'http://admin:<redacted>@host'],
      // Without a scheme: a --postgres target, quoted or not, IPv6 too.
      ['admin:pw-CANARY@127.0.0.1:0', 'admin:<redacted>@127.0.0.1:0'],
      [
        '--postgres "admin:pw-CANARY@db:5432" was not probed',
        '--postgres "admin:<redacted>@db:5432" was not probed',
      ],
      ['- admin:pw-CANARY@[::1]:5432', '- admin:<redacted>@[::1]:5432'],
    ];
    for (const [input, masked] of cases) expect(redact(input)).toBe(masked);
  });

  it('leaves what only looks like a login alone, and is idempotent', () => {
    for (const text of [
      'http://user@host:8080/x',
      'arn:aws:sts::111122223333:assumed-role/app/alice@example.com',
      'ghcr.io/org/irsa-doctor:0.1.0@sha256:0123abcd',
      'irsa-doctor:0.1.0@sha256:0123abcd',
      'system:serviceaccount:camunda:zeebe-sa',
      '{"endpoint": "https://vpc-x.es.amazonaws.com", "users": ["a@b"]}',
      'the endpoint carries user:password; IAM signs requests instead',
    ])
      expect(redact(text)).toBe(text);
    const once = redact('http://admin:pw-CANARY@h and admin:pw-CANARY@h');
    expect(redact(once)).toBe(once);
  });

  it('costs linear time on long hostile lines', () => {
    const t0 = performance.now();
    for (const line of [
      'a=b:c@'.repeat(50_000),
      'a.'.repeat(150_000),
      'x://a:'.repeat(50_000),
      `=a:${'b@'.repeat(150_000)}`,
    ])
      redact(line);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('redacting rendered output again', () => {
  it('leaves a mask a renderer escaped for XML, HTML or Markdown as it is', () => {
    for (const masked of ['&lt;redacted&gt;', '\\<redacted\\>', '<redacted>']) {
      const text = `http://u:${masked}@host and user:${masked}@db.example.com`;
      expect(redact(text)).toBe(text);
    }
    expect(redact('http://u:secret@host')).toBe('http://u:<redacted>@host');
  });
});
