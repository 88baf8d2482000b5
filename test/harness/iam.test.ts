import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy, IamAccount, type PolicyDocument, parseRoleArn } from './iam.js';

const issuer = '127.0.0.1:4431/id/ABC';
const trust = (iam: IamAccount, cond: Record<string, Record<string, string | string[]>>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: iam.oidcProviderArn(issuer) },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: cond,
    },
  ],
});

describe('IamAccount', () => {
  it('parses role ARNs with paths and rejects bad ones', () => {
    expect(parseRoleArn('arn:aws:iam::111122223333:role/a/b/app')).toEqual({
      partition: 'aws',
      account: '111122223333',
      path: '/a/b/',
      name: 'app',
    });
    expect(parseRoleArn('arn:aws-cn:iam::111122223333:role/app')?.path).toBe('/');
    expect(parseRoleArn('arn:aws:iam::11112222333:role/app')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::111122223333:roleapp')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::111122223333:user/app')).toBeUndefined();
  });

  it('issues session credentials whose assumed-role ARN drops the path', () => {
    const iam = new IamAccount();
    const c = iam.issueCredentials('arn:aws:iam::111122223333:role/team/app', 's1', 'web-identity');
    expect(c.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.assumedRoleArn).toBe('arn:aws:sts::111122223333:assumed-role/app/s1');
    expect(c.assumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:s1$/);
    expect(iam.findCredentials(c.accessKeyId)).toBe(c);
    expect(c.expiration.getTime()).toBeGreaterThan(Date.now());
  });

  it('stores OIDC providers by issuer host path and builds their ARN', () => {
    const iam = new IamAccount({ accountId: '123456789012' });
    iam.addOidcProvider({ url: `https://${issuer}`, clientIds: ['sts.amazonaws.com'], thumbprints: ['AB'] });
    expect(iam.findOidcProvider(issuer)?.thumbprints).toEqual(['ab']);
    expect(iam.oidcProviderArn(issuer)).toBe(`arn:aws:iam::123456789012:oidc-provider/${issuer}`);
    iam.removeOidcProvider(issuer);
    expect(iam.findOidcProvider(issuer)).toBeUndefined();
  });

  it('evaluates identity policies: wildcards, case-insensitive actions, explicit deny', () => {
    const iam = new IamAccount();
    const arn = iam.roleArn('app');
    iam.addRole({
      arn,
      trustPolicy: { Statement: [] },
      policies: [
        {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['RDS-DB:Connect', 'es:ESHttp*'],
              Resource: 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-?BC/*',
            },
          ],
        },
        { Statement: [{ Effect: 'Deny', Action: 'es:ESHttpDelete', Resource: '*' }] },
      ],
    });
    expect(iam.findRoleByName('app')?.arn).toBe(arn);
    expect(
      iam.isAllowed(arn, 'rds-db:connect', 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app'),
    ).toBe(true);
    expect(
      iam.isAllowed(arn, 'rds-db:connect', 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:mycluster/app'),
    ).toBe(false);
    expect(
      iam.isAllowed(arn, 'es:ESHttpDelete', 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/x'),
    ).toBe(false);
    expect(iam.isAllowed(arn, 's3:GetObject', '*')).toBe(false);
    expect(iam.isAllowed(iam.roleArn('other'), 'rds-db:connect', '*')).toBe(false);
  });
});

describe('evaluateTrustPolicy', () => {
  const iam = new IamAccount();
  const fed = iam.oidcProviderArn(issuer);
  const ctx = {
    [`${issuer}:sub`]: 'system:serviceaccount:camunda:zeebe-sa',
    [`${issuer}:aud`]: 'sts.amazonaws.com',
  };
  const req = { action: 'sts:AssumeRoleWithWebIdentity', federatedPrincipal: fed, context: ctx };

  it('admits matching StringEquals / StringLike / ForAnyValue conditions', () => {
    expect(
      evaluateTrustPolicy(
        trust(iam, {
          StringEquals: { [`${issuer}:sub`]: ctx[`${issuer}:sub`], [`${issuer}:aud`]: 'sts.amazonaws.com' },
        }),
        req,
      ),
    ).toBe(true);
    expect(
      evaluateTrustPolicy(
        trust(iam, { StringLike: { [`${issuer}:sub`]: 'system:serviceaccount:camunda:*' } }),
        req,
      ),
    ).toBe(true);
    expect(
      evaluateTrustPolicy(
        trust(iam, {
          'ForAnyValue:StringLike': { [`${issuer}:sub`]: ['x', 'system:serviceaccount:*:zeebe-sa'] },
        }),
        req,
      ),
    ).toBe(true);
  });

  it('refuses wrong sub, wrong aud, wrong provider, wrong action, explicit deny', () => {
    expect(
      evaluateTrustPolicy(
        trust(iam, { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:camunda:other' } }),
        req,
      ),
    ).toBe(false);
    expect(
      evaluateTrustPolicy(trust(iam, { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com.cn' } }), req),
    ).toBe(false);
    expect(
      evaluateTrustPolicy(
        trust(iam, { StringEquals: { 'other.issuer/id/X:sub': ctx[`${issuer}:sub`] } }),
        req,
      ),
    ).toBe(false);
    expect(
      evaluateTrustPolicy(trust(iam, {}), { ...req, federatedPrincipal: iam.oidcProviderArn('other/id/X') }),
    ).toBe(false);
    expect(evaluateTrustPolicy(trust(iam, {}), { ...req, action: 'sts:AssumeRole' })).toBe(false);
    const doc = trust(iam, {});
    doc.Statement.push({ Effect: 'Deny', Principal: '*', Action: 'sts:*' });
    expect(evaluateTrustPolicy(doc, req)).toBe(false);
  });

  it('matches service principals (Pod Identity)', () => {
    const doc: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ],
    };
    expect(
      evaluateTrustPolicy(doc, {
        action: 'sts:TagSession',
        servicePrincipal: 'pods.eks.amazonaws.com',
        context: {},
      }),
    ).toBe(true);
    expect(
      evaluateTrustPolicy(doc, {
        action: 'sts:AssumeRole',
        servicePrincipal: 'ec2.amazonaws.com',
        context: {},
      }),
    ).toBe(false);
  });
});
