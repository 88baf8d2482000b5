import { describe, expect, it } from 'vitest';
import { PARTITIONS, parseRoleArn, suggestedRoleArn, WEBHOOK_ROLE_ARN_RE } from '../../../src/lib/arn.js';
import { parseAssumedRoleArn, roleNameMatches } from '../../../src/lib/assumed-role-arn.js';

const codes = (raw: string) => {
  const r = parseRoleArn(raw);
  return r.ok ? [] : r.problems.map((p) => p.code);
};

describe('parseRoleArn', () => {
  it('accepts a plain role ARN and rebuilds it', () => {
    const r = parseRoleArn('arn:aws:iam::111122223333:role/zeebe-irsa');
    expect(r).toEqual({
      ok: true,
      arn: {
        partition: 'aws',
        account: '111122223333',
        path: '/',
        name: 'zeebe-irsa',
        arn: 'arn:aws:iam::111122223333:role/zeebe-irsa',
      },
    });
  });

  it('accepts a role with a path and splits path from name', () => {
    const r = parseRoleArn('arn:aws:iam::111122223333:role/a/b/my.role+x=y,z@w_-1');
    expect(r.ok && r.arn.path).toBe('/a/b/');
    expect(r.ok && r.arn.name).toBe('my.role+x=y,z@w_-1');
  });

  it('accepts every documented partition', () => {
    for (const p of PARTITIONS) expect(codes(`arn:${p}:iam::111122223333:role/r`)).toEqual([]);
    expect(PARTITIONS).toContain('aws-us-gov');
    expect(PARTITIONS).toContain('aws-eusc');
  });

  it('names the extra colon in the seed example, and the 10-digit account behind it', () => {
    const r = parseRoleArn('arn:aws:iam::::1234567890:role/example');
    expect(r.ok).toBe(false);
    expect(codes('arn:aws:iam::::1234567890:role/example')).toEqual(['extra-colon', 'account']);
    if (!r.ok) expect(r.problems[1]!.message).toContain('10 digits');
  });

  it('flags a colon inside the role name without blaming the account', () => {
    expect(codes('arn:aws:iam::111122223333:role/foo:bar')).toEqual(['extra-colon', 'role-name']);
  });

  it('flags a missing colon', () => {
    expect(codes('arn:aws:iam:111122223333:role/x')).toEqual(['not-arn']);
  });

  it('flags an 11-digit account', () => {
    const r = parseRoleArn('arn:aws:iam::11112222333:role/x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.code)).toEqual(['account']);
      expect(r.problems[0]!.message).toContain('11 digits');
    }
  });

  it('flags an account written with dashes, an alias, or none', () => {
    expect(codes('arn:aws:iam::1111-2222-3333:role/x')).toEqual(['account']);
    expect(codes('arn:aws:iam::my-alias:role/x')).toEqual(['account']);
    expect(codes('arn:aws:iam:::role/x')).toEqual(['account']);
  });

  it('rejects a user ARN as not a role', () => {
    const r = parseRoleArn('arn:aws:iam::111122223333:user/x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.code)).toEqual(['resource-type']);
      expect(r.problems[0]!.message).toContain('IAM user');
    }
  });

  it('rejects an assumed-role session ARN pasted instead of the role', () => {
    const c = codes('arn:aws:sts::111122223333:assumed-role/x/session');
    expect(c).toContain('service');
    expect(c).toContain('resource-type');
  });

  it('rejects an unknown partition', () => {
    expect(codes('arn:aws-foo:iam::111122223333:role/x')).toEqual(['partition']);
  });

  it('rejects a region in an IAM ARN', () => {
    expect(codes('arn:aws:iam:eu-west-1:111122223333:role/x')).toEqual(['region-not-empty']);
  });

  it('reports whitespace and quotes copied from YAML, and still judges the rest', () => {
    expect(codes(' arn:aws:iam::111122223333:role/x\n')).toEqual(['whitespace']);
    expect(codes('"arn:aws:iam::111122223333:role/x"')).toEqual(['quotes']);
    expect(codes("'arn:aws:iam::111122223333:role/x'")).toEqual(['quotes']);
    expect(codes(' "arn:aws:iam::11112222333:role/x" ')).toEqual(['whitespace', 'quotes', 'account']);
    expect(codes('arn:aws:iam::111122223333:role/my role')).toEqual(['whitespace', 'role-name']);
  });

  it('checks role name characters and length', () => {
    expect(codes(`arn:aws:iam::111122223333:role/${'a'.repeat(64)}`)).toEqual([]);
    expect(codes(`arn:aws:iam::111122223333:role/${'a'.repeat(65)}`)).toEqual(['role-name']);
    expect(codes('arn:aws:iam::111122223333:role/a#b')).toEqual(['role-name']);
    expect(codes('arn:aws:iam::111122223333:role/my\u2013role')).toEqual(['role-name']);
    expect(codes('arn:aws:iam::111122223333:role/')).toEqual(['role-name']);
    expect(codes('arn:aws:iam::111122223333:role')).toEqual(['role-name']);
  });

  it('checks the path', () => {
    expect(codes('arn:aws:iam::111122223333:role/a//x')).toEqual(['path']);
  });

  it('rejects empty and non-ARN input', () => {
    expect(codes('')).toEqual(['empty']);
    expect(codes('   ')).toEqual(['empty']);
    expect(codes('zeebe-irsa')).toEqual(['not-arn']);
  });
});

describe('webhook regex', () => {
  it('matches what the webhook accepts', () => {
    expect(WEBHOOK_ROLE_ARN_RE.test('arn:aws:iam::111122223333:role/a/b/x')).toBe(true);
    expect(WEBHOOK_ROLE_ARN_RE.test('arn:aws-cn:iam::111122223333:role/x')).toBe(true);
    expect(WEBHOOK_ROLE_ARN_RE.test('arn:aws:iam::::1234567890:role/example')).toBe(false);
    // IAM allows any printable ASCII in a path; the webhook's regex does not (it logs and injects anyway).
    expect(parseRoleArn('arn:aws:iam::111122223333:role/team!a/x').ok).toBe(true);
    expect(WEBHOOK_ROLE_ARN_RE.test('arn:aws:iam::111122223333:role/team!a/x')).toBe(false);
  });
});

describe('suggestedRoleArn', () => {
  it('keeps what it can recover', () => {
    expect(suggestedRoleArn('"arn:aws:iam::111122223333:role/x" ')).toBe('arn:aws:iam::111122223333:role/x');
    expect(suggestedRoleArn('arn:aws:iam::::1234567890:role/example')).toBe(
      'arn:aws:iam::ACCOUNT_ID:role/example',
    );
    expect(suggestedRoleArn('arn:aws:iam::111122223333:user/bob')).toBe(
      'arn:aws:iam::111122223333:role/ROLE_NAME',
    );
  });
});

describe('assumed-role ARNs', () => {
  it('parses the session ARN', () => {
    expect(parseAssumedRoleArn('arn:aws:sts::111122223333:assumed-role/zeebe/aws-sdk-js-session-1')).toEqual({
      partition: 'aws',
      account: '111122223333',
      roleName: 'zeebe',
      sessionName: 'aws-sdk-js-session-1',
    });
    expect(parseAssumedRoleArn('arn:aws:iam::111122223333:role/zeebe')).toBeUndefined();
  });

  it('matches role names with the path dropped, and not across accounts', () => {
    const session = 'arn:aws:sts::111122223333:assumed-role/zeebe/s';
    expect(roleNameMatches('arn:aws:iam::111122223333:role/camunda/zeebe', session)).toBe(true);
    expect(roleNameMatches('arn:aws:iam::111122223333:role/zeebe', session)).toBe(true);
    expect(roleNameMatches('arn:aws:iam::111122223333:role/ZEEBE', session)).toBe(true);
    expect(roleNameMatches('arn:aws:iam::111122223333:role/operate', session)).toBe(false);
    expect(roleNameMatches('arn:aws:iam::444455556666:role/zeebe', session)).toBe(false);
    expect(
      roleNameMatches(
        'arn:aws:iam::111122223333:role/zeebe',
        'arn:aws:sts::111122223333:assumed-role/NodeRole/i-0abc',
      ),
    ).toBe(false);
    expect(roleNameMatches('arn:aws:iam::111122223333:role/zeebe', 'garbage')).toBe(false);
  });
});
