import { describe, expect, it } from 'vitest';
import { judgeDomainPolicy } from '../../../../src/audit/permissions/domain-policy-verdict.js';
import { parsePolicyDocument } from '../../../../src/aws/policy/policy-document.js';

const ROLE = 'arn:aws:iam::111122223333:role/app';
const DOMAIN = 'arn:aws:es:eu-west-1:111122223333:domain/d';
const judge = (statements: unknown[], roleArn = ROLE) => {
  const p = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  if (!p.ok) throw new Error(p.problem);
  return judgeDomainPolicy(p.policy, {
    roleArn,
    action: 'es:ESHttpGet',
    resource: `${DOMAIN}/*`,
    secureTransport: true,
  });
};
const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'es:ESHttp*',
  Resource: `${DOMAIN}/*`,
  ...extra,
});

describe('judgeDomainPolicy', () => {
  it('allows the role named, or anyone; delegates for its account', () => {
    expect(judge([allow({ AWS: ROLE })]).possible).toEqual(['allow']);
    expect(judge([allow('*')]).possible).toEqual(['allow']);
    expect(judge([allow({ AWS: 'arn:aws:iam::111122223333:root' })]).possible).toEqual(['delegate']);
    expect(judge([allow({ AWS: '111122223333' })]).possible).toEqual(['delegate']);
  });
  it('is silent for other principals, another account, the domain without /*', () => {
    expect(judge([allow({ AWS: 'arn:aws:iam::111122223333:role/other' })]).possible).toEqual(['silent']);
    expect(judge([allow({ AWS: 'arn:aws:iam::444455556666:root' })]).possible).toEqual(['silent']);
    expect(judge([{ ...allow({ AWS: ROLE }), Resource: DOMAIN }]).possible).toEqual(['silent']);
    expect(judge([]).possible).toEqual(['silent']);
  });
  it('an explicit Deny wins and is named', () => {
    const v = judge([allow({ AWS: ROLE }), { ...allow({ AWS: ROLE }), Effect: 'Deny', Sid: 'No' }]);
    expect(v).toMatchObject({ possible: ['deny'], denyStatement: 'Sid "No"' });
  });
  it('leaves the verdict open on keys only the real request carries', () => {
    const ip = judge([allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]);
    expect(ip).toMatchObject({ possible: ['silent', 'allow'], unknownKeys: ['aws:SourceIp'] });
    // A negated operator on a missing key would match: still open, not a Deny.
    const vpc = judge([
      allow({ AWS: ROLE }),
      { ...allow('*'), Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } },
    ]);
    expect(vpc.possible.sort()).toEqual(['allow', 'deny']);
  });
  it('decides on the keys it knows: the principal, its account, https', () => {
    expect(
      judge([
        allow('*', {
          Condition: { StringEquals: { 'aws:PrincipalArn': ROLE }, Bool: { 'aws:SecureTransport': 'true' } },
        }),
      ]).possible,
    ).toEqual(['allow']);
    expect(
      judge([allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': '444455556666' } } })])
        .possible,
    ).toEqual(['silent']);
  });
});
