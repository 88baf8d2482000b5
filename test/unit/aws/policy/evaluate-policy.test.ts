import { describe, expect, it } from 'vitest';
import { conditionMatches, evaluatePolicy, globMatch } from '../../../../src/aws/policy/evaluate-policy.js';
import { parsePolicyDocument } from '../../../../src/aws/policy/policy-document.js';

const ISS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISS}`;
const trust = (statement: Record<string, unknown>) => {
  const p = parsePolicyDocument({ Version: '2012-10-17', Statement: [statement] });
  if (!p.ok) throw new Error(p.problem);
  return p.policy;
};
const webIdentity = (sub: string, aud = 'sts.amazonaws.com') => ({
  principal: { type: 'Federated' as const, id: PROVIDER },
  action: 'sts:AssumeRoleWithWebIdentity',
  context: { [`${ISS}:sub`]: sub, [`${ISS}:aud`]: aud },
});
const stmt = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { Federated: PROVIDER },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: condition,
  ...extra,
});

describe('evaluatePolicy', () => {
  it('admits the ServiceAccount a StringEquals :sub and :aud name, and nothing else', () => {
    const p = trust(
      stmt({
        StringEquals: {
          [`${ISS}:sub`]: 'system:serviceaccount:camunda:zeebe',
          [`${ISS}:aud`]: 'sts.amazonaws.com',
        },
      }),
    );
    expect(evaluatePolicy(p, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe('allow');
    const other = evaluatePolicy(p, webIdentity('system:serviceaccount:camunda:operate'));
    expect(other.decision).toBe('implicit-deny');
    expect(other.statements[0]!.conditions.find((c) => !c.matches)).toMatchObject({
      key: `${ISS}:sub`,
      actual: ['system:serviceaccount:camunda:operate'],
    });
    expect(evaluatePolicy(p, webIdentity('system:serviceaccount:camunda:zeebe', 'other')).decision).toBe(
      'implicit-deny',
    );
  });

  it('treats * literally under StringEquals and as a glob under StringLike', () => {
    const literal = trust(stmt({ StringEquals: { [`${ISS}:sub`]: 'system:serviceaccount:camunda:*' } }));
    expect(evaluatePolicy(literal, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe(
      'implicit-deny',
    );
    const glob = trust(stmt({ StringLike: { [`${ISS}:sub`]: 'system:serviceaccount:camunda:*' } }));
    expect(evaluatePolicy(glob, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe('allow');
    expect(evaluatePolicy(glob, webIdentity('system:serviceaccount:other:zeebe')).decision).toBe(
      'implicit-deny',
    );
  });

  it('ORs the values of one key, ANDs keys and operators, and lets a Deny win', () => {
    const p = trust(
      stmt({
        StringEquals: {
          [`${ISS}:sub`]: ['system:serviceaccount:a:x', 'system:serviceaccount:camunda:zeebe'],
          [`${ISS}:aud`]: 'sts.amazonaws.com',
        },
        StringLike: { [`${ISS}:sub`]: 'system:serviceaccount:camunda:*' },
      }),
    );
    expect(evaluatePolicy(p, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe('allow');
    expect(evaluatePolicy(p, webIdentity('system:serviceaccount:a:x')).decision).toBe('implicit-deny');
    const denied = parsePolicyDocument({
      Statement: [
        stmt({}),
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:*',
          Condition: { StringLike: { [`${ISS}:sub`]: '*:camunda:*' } },
        },
      ],
    });
    if (!denied.ok) throw new Error('parse');
    expect(evaluatePolicy(denied.policy, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe(
      'explicit-deny',
    );
  });

  it('takes Action and Federated as a string or a list, with wildcards and case-insensitive actions', () => {
    const p = trust({
      Effect: 'Allow',
      Principal: { Federated: ['arn:aws:iam::1:oidc-provider/x', PROVIDER] },
      Action: ['sts:AssumeRole', 'STS:AssumeRoleWith*'],
    });
    expect(evaluatePolicy(p, webIdentity('system:serviceaccount:camunda:zeebe')).decision).toBe('allow');
    expect(
      evaluatePolicy(p, {
        ...webIdentity('s'),
        principal: { type: 'Federated', id: 'arn:aws:iam::1:oidc-provider/y' },
      }).decision,
    ).toBe('implicit-deny');
  });

  it('reads URL-encoded documents as IAM returns them', () => {
    const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: stmt({}) }));
    const p = parsePolicyDocument(doc);
    expect(p.ok && p.policy.statements[0]?.action).toEqual(['sts:AssumeRoleWithWebIdentity']);
  });

  it('matches an AWS principal by ARN or by account, and resources by glob', () => {
    const p = parsePolicyDocument({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'es:ESHttp*',
          Resource: 'arn:aws:es:eu-west-1:111122223333:domain/camunda/*',
        },
      ],
    });
    if (!p.ok) throw new Error('parse');
    const req = (resource: string) => ({
      principal: { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:role/app' },
      action: 'es:ESHttpGet',
      resource,
      context: {},
    });
    expect(
      evaluatePolicy(p.policy, req('arn:aws:es:eu-west-1:111122223333:domain/camunda/idx')).decision,
    ).toBe('allow');
    expect(evaluatePolicy(p.policy, req('arn:aws:es:eu-west-1:111122223333:domain/other/idx')).decision).toBe(
      'implicit-deny',
    );
  });
});

describe('conditionMatches', () => {
  it('follows IAM for a key the request lacks', () => {
    expect(conditionMatches('StringEquals', ['a'], undefined)).toBe(false);
    expect(conditionMatches('StringEqualsIfExists', ['a'], undefined)).toBe(true);
    expect(conditionMatches('StringNotEquals', ['a'], undefined)).toBe(true);
    expect(conditionMatches('ForAnyValue:StringEquals', ['a'], undefined)).toBe(false);
    expect(conditionMatches('ForAllValues:StringEquals', ['a'], undefined)).toBe(true);
    expect(conditionMatches('Null', ['true'], undefined)).toBe(true);
    expect(conditionMatches('Null', ['false'], ['x'])).toBe(true);
  });

  it('compares sets with ForAnyValue and ForAllValues', () => {
    expect(conditionMatches('ForAnyValue:StringEquals', ['a', 'b'], ['c', 'b'])).toBe(true);
    expect(conditionMatches('ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'])).toBe(false);
    expect(conditionMatches('ForAllValues:StringLike', ['a*'], ['ab', 'ac'])).toBe(true);
  });

  it('globs only with * and ?', () => {
    expect(globMatch('a?c*', 'abcdef', false)).toBe(true);
    expect(globMatch('a.c', 'abc', false)).toBe(false);
    expect(globMatch('ES:ESHTTP*', 'es:ESHttpGet', true)).toBe(true);
  });
});
