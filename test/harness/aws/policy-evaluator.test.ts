import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../iam.js';
import { conditionHolds, evaluatePolicies, type PolicySource } from './policy-evaluator.js';

const src = (id: string, ...Statement: PolicyStatement[]): PolicySource => ({
  id,
  type: 'role',
  document: { Version: '2012-10-17', Statement } as PolicyDocument,
});
const DB = 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/zeebe';
const OTHER_DB = 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-XYZ/zeebe';

describe('evaluatePolicies', () => {
  it('allows on a matching Allow, case-insensitively on the action, case-sensitively on the resource', () => {
    const p = src('app', { Effect: 'Allow', Action: 'RDS-DB:Connect', Resource: DB });
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: DB }).decision).toBe('allowed');
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: OTHER_DB }).decision).toBe(
      'implicitDeny',
    );
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: DB.toLowerCase() }).decision).toBe(
      'implicitDeny',
    );
  });

  it('globs actions and resources with * and ?', () => {
    const p = src('app', {
      Effect: 'Allow',
      Action: 'es:ESHttp*',
      Resource: 'arn:aws:es:eu-west-1:111122223333:domain/camunda-??/*',
    });
    const r = 'arn:aws:es:eu-west-1:111122223333:domain/camunda-os/_search';
    expect(evaluatePolicies([p], { action: 'es:ESHttpGet', resource: r }).decision).toBe('allowed');
    expect(evaluatePolicies([p], { action: 'es:DescribeDomain', resource: r }).decision).toBe('implicitDeny');
    expect(
      evaluatePolicies([p], { action: 'es:ESHttpGet', resource: r.replace('camunda-os', 'camunda-old') })
        .decision,
    ).toBe('implicitDeny');
  });

  it('lets an explicit Deny win and reports only the denying statements', () => {
    const allow = src('allow', { Effect: 'Allow', Action: '*', Resource: '*' });
    const deny = src('deny', { Effect: 'Deny', Action: 'rds-db:*', Resource: DB });
    const e = evaluatePolicies([allow, deny], { action: 'rds-db:connect', resource: DB });
    expect(e.decision).toBe('explicitDeny');
    expect(e.matched.map((m) => m.policy.id)).toEqual(['deny']);
  });

  it('honours NotAction and NotResource', () => {
    const p = src(
      'app',
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Deny', Action: 'rds-db:connect', NotResource: DB },
    );
    expect(evaluatePolicies([p], { action: 'iam:GetRole', resource: '*' }).decision).toBe('implicitDeny');
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: DB }).decision).toBe('allowed');
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: OTHER_DB }).decision).toBe(
      'explicitDeny',
    );
  });

  it('needs an Allow from the permissions boundary too', () => {
    const identity = src('app', {
      Effect: 'Allow',
      Action: ['rds-db:connect', 'es:ESHttpGet'],
      Resource: '*',
    });
    const boundary = src('boundary', { Effect: 'Allow', Action: 'es:*', Resource: '*' });
    const rds = evaluatePolicies([identity], { action: 'rds-db:connect', resource: DB }, [boundary]);
    expect(rds).toMatchObject({ decision: 'implicitDeny', allowedByBoundary: false, deniedBy: 'boundary' });
    const es = evaluatePolicies([identity], { action: 'es:ESHttpGet', resource: 'x' }, [boundary]);
    expect(es).toMatchObject({ decision: 'allowed', allowedByBoundary: true });
  });

  it('treats the simulator resource * as any resource only when asked to', () => {
    const p = src('app', { Effect: 'Allow', Action: 'rds-db:connect', Resource: DB });
    expect(
      evaluatePolicies([p], { action: 'rds-db:connect', resource: '*', anyResource: true }).decision,
    ).toBe('allowed');
    expect(evaluatePolicies([p], { action: 'rds-db:connect', resource: '*' }).decision).toBe('implicitDeny');
  });

  it('lists the condition keys a matching statement needed but the context lacked', () => {
    const p = src('app', {
      Effect: 'Allow',
      Action: 'es:ESHttpGet',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' }, Bool: { 'aws:SecureTransport': 'true' } },
    });
    const e = evaluatePolicies([p], {
      action: 'es:ESHttpGet',
      resource: '*',
      context: { 'AWS:SecureTransport': 'true' },
    });
    expect(e).toMatchObject({ decision: 'implicitDeny', missingContextKeys: ['aws:SourceVpc'] });
    const ok = evaluatePolicies([p], {
      action: 'es:ESHttpGet',
      resource: '*',
      context: { 'aws:securetransport': 'true', 'aws:sourcevpc': ['vpc-1'] },
    });
    expect(ok).toMatchObject({ decision: 'allowed', missingContextKeys: [] });
  });
});

describe('conditionHolds', () => {
  it('StringEquals takes * literally, StringLike globs', () => {
    expect(
      conditionHolds('StringEquals', ['system:serviceaccount:camunda:zeebe'], ['system:serviceaccount:*']),
    ).toBe(false);
    expect(
      conditionHolds('StringLike', ['system:serviceaccount:camunda:zeebe'], ['system:serviceaccount:*']),
    ).toBe(true);
    expect(conditionHolds('StringEquals', ['b'], ['a', 'b'])).toBe(true);
  });

  it('negated operators hold on a missing key, positive ones do not, IfExists always does', () => {
    expect(conditionHolds('StringNotEquals', undefined, ['x'])).toBe(true);
    expect(conditionHolds('StringEquals', undefined, ['x'])).toBe(false);
    expect(conditionHolds('StringEqualsIfExists', undefined, ['x'])).toBe(true);
    expect(conditionHolds('StringEqualsIfExists', ['y'], ['x'])).toBe(false);
    expect(conditionHolds('ArnNotLike', ['arn:aws:iam::1:role/a'], ['arn:aws:iam::1:role/*'])).toBe(false);
  });

  it('ForAnyValue needs one match, ForAllValues needs all (and holds vacuously on a missing key)', () => {
    expect(conditionHolds('ForAnyValue:StringEquals', ['a', 'z'], ['a', 'b'])).toBe(true);
    expect(conditionHolds('ForAllValues:StringEquals', ['a', 'z'], ['a', 'b'])).toBe(false);
    expect(conditionHolds('ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'])).toBe(true);
    expect(conditionHolds('ForAllValues:StringEquals', undefined, ['a'])).toBe(true);
    expect(conditionHolds('ForAnyValue:StringEquals', undefined, ['a'])).toBe(false);
  });

  it('Bool, Null, Numeric, Date, IpAddress and ArnLike', () => {
    expect(conditionHolds('Bool', ['TRUE'], ['true'])).toBe(true);
    expect(conditionHolds('Bool', ['false'], ['true'])).toBe(false);
    expect(conditionHolds('Null', undefined, ['true'])).toBe(true);
    expect(conditionHolds('Null', ['x'], ['true'])).toBe(false);
    expect(conditionHolds('NumericLessThanEquals', ['3600'], ['43200'])).toBe(true);
    expect(conditionHolds('NumericLessThan', ['abc'], ['1'])).toBe(false);
    expect(conditionHolds('DateGreaterThan', ['2030-01-01T00:00:00Z'], ['2025-01-01T00:00:00Z'])).toBe(true);
    expect(conditionHolds('IpAddress', ['10.1.2.3'], ['10.0.0.0/8'])).toBe(true);
    expect(conditionHolds('NotIpAddress', ['10.1.2.3'], ['10.0.0.0/8'])).toBe(false);
    // ArnLike matches each of the six parts on its own: '*' cannot swallow the colons of the account.
    expect(conditionHolds('ArnLike', ['arn:aws:iam::111122223333:role/app'], ['arn:aws:iam::*:role/*'])).toBe(
      true,
    );
    expect(conditionHolds('ArnLike', ['arn:aws:iam::111122223333:role/app'], ['arn:aws:*:role/*'])).toBe(
      false,
    );
  });

  it('fails closed on an operator IAM does not know', () => {
    expect(conditionHolds('StringMatchesRegex', ['a'], ['a'])).toBe(false);
  });
});
