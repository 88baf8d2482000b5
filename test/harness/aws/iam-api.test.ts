import {
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../iam.js';
import {
  type AwsControlPlane,
  everyEmulatedRead,
  iamSigningRegion,
  startAwsControlPlane,
} from './aws-control-plane.js';
import { failure, withClient } from './sdk-env.js';

const ACCT = '111122223333';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C0FFEE5C0FFEE5C0FFEE5C0FFEE5C0F';
const DB = `arn:aws:rds-db:eu-west-1:${ACCT}:dbuser:cluster-ABC/zeebe`;
const OTHER_DB = `arn:aws:rds-db:eu-west-1:${ACCT}:dbuser:cluster-XYZ/zeebe`;
const DOMAIN = `arn:aws:es:eu-west-1:${ACCT}:domain/camunda`;

let cp: AwsControlPlane;
let roleArn: string;
let boundedArn: string;
let managedArn: string;
const trust: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${ISSUER}:sub`]: 'system:serviceaccount:camunda:zeebe',
          [`${ISSUER}:aud`]: 'sts.amazonaws.com',
        },
      },
    },
  ],
};

const iam = <T>(use: (c: IAMClient) => Promise<T>, env = cp.env, region?: string) =>
  withClient(env, () => new IAMClient({ region: region ?? iamSigningRegion(cp.partition) }), use);
const decode = (s: string | undefined) => JSON.parse(decodeURIComponent(s ?? '')) as PolicyDocument;
const simulate = (input: SimulatePrincipalPolicyCommandInput) =>
  iam((c) => c.send(new SimulatePrincipalPolicyCommand(input)));

beforeAll(async () => {
  cp = await startAwsControlPlane({ operatorPolicy: everyEmulatedRead() });
  const iam = cp.iam;
  const managed = iam.addManagedPolicy({
    name: 'camunda-aurora-connect',
    documents: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: OTHER_DB }],
      },
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Describe', Effect: 'Allow', Action: 'rds:DescribeDBClusters', Resource: '*' },
          { Sid: 'Connect', Effect: 'Allow', Action: 'rds-db:connect', Resource: DB },
        ],
      },
    ],
  });
  managedArn = managed.arn;
  const awsManaged = iam.addManagedPolicy({
    name: 'AmazonEKS_CNI_Policy',
    awsManaged: true,
    documents: [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] },
    ],
  });
  roleArn = iam.roleArn('camunda-zeebe', '/service-roles/');
  iam.addRole({
    arn: roleArn,
    trustPolicy: trust,
    policies: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'rds-db:connect', Resource: '*/admin' }],
      },
    ],
    inlinePolicies: {
      'opensearch-access': {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` },
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::camunda-docs/*',
            Condition: {
              StringEquals: { 'aws:SourceVpc': 'vpc-0123' },
              'ForAnyValue:StringLike': { 'aws:PrincipalTag/team': ['camunda-*'] },
            },
          },
        ],
      },
    },
    attachedPolicyArns: [managed.arn, awsManaged.arn],
    maxSessionDuration: 7200,
    description: 'Zeebe IRSA',
  });
  const boundary = iam.addManagedPolicy({
    name: 'only-opensearch',
    documents: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }] }],
  });
  boundedArn = iam.roleArn('bounded');
  iam.addRole({
    arn: boundedArn,
    trustPolicy: trust,
    policies: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['rds-db:*', 'es:*'], Resource: '*' }],
      },
    ],
    permissionsBoundaryArn: boundary.arn,
  });
  iam.addOidcProvider({
    url: ISSUER,
    clientIds: ['sts.amazonaws.com'],
    thumbprints: ['9E99A48A9960B14926BB7F3B02E22DA2B0AB7280'],
  });
  iam.addOidcProvider({
    url: ISSUER,
    clientIds: ['sts.amazonaws.com'],
    thumbprints: [],
    accountId: '444455556666',
  });
});
afterAll(async () => {
  await cp?.close();
});

describe('roles', () => {
  it('GetRole keeps the role path and answers the trust policy URL-encoded', async () => {
    const r = await iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' })));
    expect(r.Role).toMatchObject({
      Arn: `arn:aws:iam::${ACCT}:role/service-roles/camunda-zeebe`,
      Path: '/service-roles/',
      RoleName: 'camunda-zeebe',
      MaxSessionDuration: 7200,
      Description: 'Zeebe IRSA',
    });
    expect(r.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(r.Role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(decode(r.Role?.AssumeRolePolicyDocument)).toEqual(trust);
  });

  it('GetRole reports the permissions boundary', async () => {
    const r = await iam((c) => c.send(new GetRoleCommand({ RoleName: 'bounded' })));
    expect(r.Role?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: `arn:aws:iam::${ACCT}:policy/only-opensearch`,
    });
  });

  it('answers NoSuchEntity (404) for an unknown role and ValidationError for a malformed name', async () => {
    const missing = await failure(iam((c) => c.send(new GetRoleCommand({ RoleName: 'nope' }))));
    expect(missing).toMatchObject({
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name nope cannot be found.',
    });
    const bad = await failure(iam((c) => c.send(new GetRoleCommand({ RoleName: 'has space' }))));
    expect(bad).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(bad.message).toContain("Value 'has space' at 'roleName'");
  });

  it('lists named and anonymous inline policies and answers each URL-encoded', async () => {
    const list = await iam((c) => c.send(new ListRolePoliciesCommand({ RoleName: 'camunda-zeebe' })));
    expect(list.PolicyNames).toEqual(['inline-policy-1', 'opensearch-access']);
    expect(list.IsTruncated).toBe(false);
    const got = await iam((c) =>
      c.send(new GetRolePolicyCommand({ RoleName: 'camunda-zeebe', PolicyName: 'opensearch-access' })),
    );
    expect(got.RoleName).toBe('camunda-zeebe');
    expect(decode(got.PolicyDocument).Statement[0]).toEqual({
      Effect: 'Allow',
      Action: 'es:ESHttp*',
      Resource: `${DOMAIN}/*`,
    });
    const missing = await failure(
      iam((c) => c.send(new GetRolePolicyCommand({ RoleName: 'camunda-zeebe', PolicyName: 'x' }))),
    );
    expect(missing).toMatchObject({ code: 'NoSuchEntity', status: 404 });
  });

  it('pages with MaxItems and Marker', async () => {
    const first = await iam((c) =>
      c.send(new ListRolePoliciesCommand({ RoleName: 'camunda-zeebe', MaxItems: 1 })),
    );
    expect(first).toMatchObject({ PolicyNames: ['inline-policy-1'], IsTruncated: true });
    const second = await iam((c) =>
      c.send(new ListRolePoliciesCommand({ RoleName: 'camunda-zeebe', MaxItems: 1, Marker: first.Marker })),
    );
    expect(second).toMatchObject({ PolicyNames: ['opensearch-access'], IsTruncated: false });
  });
});

describe('managed policies', () => {
  it('lists attached policies, then reads the default version, not v1', async () => {
    const attached = await iam((c) =>
      c.send(new ListAttachedRolePoliciesCommand({ RoleName: 'camunda-zeebe' })),
    );
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'camunda-aurora-connect', PolicyArn: managedArn },
      { PolicyName: 'AmazonEKS_CNI_Policy', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' },
    ]);
    const policy = await iam((c) => c.send(new GetPolicyCommand({ PolicyArn: managedArn })));
    expect(policy.Policy).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: 1, IsAttachable: true });
    expect(policy.Policy?.PolicyId).toMatch(/^ANPA/);
    const v2 = await iam((c) =>
      c.send(new GetPolicyVersionCommand({ PolicyArn: managedArn, VersionId: 'v2' })),
    );
    expect(v2.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(decode(v2.PolicyVersion?.Document).Statement[1].Resource).toBe(DB);
    const v1 = await iam((c) =>
      c.send(new GetPolicyVersionCommand({ PolicyArn: managedArn, VersionId: 'v1' })),
    );
    expect(v1.PolicyVersion?.IsDefaultVersion).toBe(false);
    expect(decode(v1.PolicyVersion?.Document).Statement[0].Resource).toBe(OTHER_DB);
  });

  it('answers NoSuchEntity for an unknown policy or version and InvalidInput for a malformed ARN', async () => {
    expect(
      await failure(
        iam((c) => c.send(new GetPolicyVersionCommand({ PolicyArn: managedArn, VersionId: 'v9' }))),
      ),
    ).toMatchObject({ code: 'NoSuchEntity', status: 404 });
    expect(
      await failure(
        iam((c) => c.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCT}:policy/absent` }))),
      ),
    ).toMatchObject({
      code: 'NoSuchEntity',
      message: `Policy arn:aws:iam::${ACCT}:policy/absent does not exist or is not attachable.`,
    });
    expect(
      await failure(iam((c) => c.send(new GetPolicyCommand({ PolicyArn: 'camunda-aurora-connect' })))),
    ).toMatchObject({
      code: 'InvalidInput',
      status: 400,
    });
  });
});

describe('OIDC providers', () => {
  it('lists the providers of the operator account and answers the URL without https://', async () => {
    const list = await iam((c) => c.send(new ListOpenIDConnectProvidersCommand({})));
    expect(list.OpenIDConnectProviderList).toEqual([{ Arn: `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER}` }]);
    const p = await iam((c) =>
      c.send(
        new GetOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: `arn:aws:iam::${ACCT}:oidc-provider/${ISSUER}`,
        }),
      ),
    );
    expect(p).toMatchObject({
      Url: ISSUER,
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
    });
  });

  it('refuses to read a provider of another account and says NoSuchEntity for an absent one', async () => {
    const other = await failure(
      iam((c) =>
        c.send(
          new GetOpenIDConnectProviderCommand({
            OpenIDConnectProviderArn: `arn:aws:iam::444455556666:oidc-provider/${ISSUER}`,
          }),
        ),
      ),
    );
    expect(other).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(other.message).toContain(
      'because no resource-based policy allows the iam:GetOpenIDConnectProvider action',
    );
    const absent = await failure(
      iam((c) =>
        c.send(
          new GetOpenIDConnectProviderCommand({
            OpenIDConnectProviderArn: `arn:aws:iam::${ACCT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OLD`,
          }),
        ),
      ),
    );
    expect(absent).toMatchObject({ code: 'NoSuchEntity', status: 404 });
  });
});

describe('SimulatePrincipalPolicy', () => {
  it('allows rds-db:connect on the cluster resource id the policy names, not on another', async () => {
    const r = await simulate({
      PolicySourceArn: roleArn,
      ActionNames: ['rds-db:connect'],
      ResourceArns: [DB, OTHER_DB],
    });
    const [ok, other] = r.EvaluationResults ?? [];
    expect(ok).toMatchObject({
      EvalActionName: 'rds-db:connect',
      EvalResourceName: DB,
      EvalDecision: 'allowed',
    });
    expect(ok.ResourceSpecificResults).toEqual([
      expect.objectContaining({ EvalResourceName: DB, EvalResourceDecision: 'allowed' }),
    ]);
    // The matched statement is the default version's (v2) second statement, located in its text.
    expect(ok.MatchedStatements).toHaveLength(1);
    const m = ok.MatchedStatements?.[0];
    expect(m).toMatchObject({ SourcePolicyId: 'camunda-aurora-connect', SourcePolicyType: 'user-managed' });
    const v2 = await iam((c) =>
      c.send(new GetPolicyVersionCommand({ PolicyArn: managedArn, VersionId: 'v2' })),
    );
    const lines = decodeURIComponent(v2.PolicyVersion?.Document ?? '').split('\n');
    const start = m?.StartPosition ?? {};
    expect(lines[(start.Line ?? 0) - 1]?.[(start.Column ?? 0) - 1]).toBe('{');
    expect(lines[start.Line ?? 0]).toContain('"Sid": "Connect"');
    expect(other).toMatchObject({
      EvalResourceName: OTHER_DB,
      EvalDecision: 'implicitDeny',
      MatchedStatements: [],
    });
  });

  it('reports an explicit deny with only the denying statement', async () => {
    const admin = `arn:aws:rds-db:eu-west-1:${ACCT}:dbuser:cluster-ABC/admin`;
    const r = await simulate({
      PolicySourceArn: roleArn,
      ActionNames: ['rds-db:connect'],
      ResourceArns: [admin],
    });
    expect(r.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'explicitDeny',
      MatchedStatements: [
        expect.objectContaining({ SourcePolicyId: 'inline-policy-1', SourcePolicyType: 'role' }),
      ],
    });
  });

  it('evaluates conditions against the context entries, and names missing keys', async () => {
    const base = { PolicySourceArn: roleArn, ActionNames: ['s3:GetObject'] };
    const without = await simulate(base);
    expect(without.EvaluationResults?.[0]).toMatchObject({
      EvalResourceName: '*',
      EvalDecision: 'implicitDeny',
    });
    expect(without.EvaluationResults?.[0].MissingContextValues?.sort()).toEqual([
      'aws:PrincipalTag/team',
      'aws:SourceVpc',
    ]);
    const withCtx = await simulate({
      ...base,
      ResourceArns: ['arn:aws:s3:::camunda-docs/a.pdf'],
      ContextEntries: [
        { ContextKeyName: 'aws:SourceVpc', ContextKeyValues: ['vpc-0123'], ContextKeyType: 'string' },
        {
          ContextKeyName: 'aws:PrincipalTag/team',
          ContextKeyValues: ['ops', 'camunda-core'],
          ContextKeyType: 'stringList',
        },
      ],
    });
    expect(withCtx.EvaluationResults?.[0].EvalDecision).toBe('allowed');
    const wrongVpc = await simulate({
      ...base,
      ResourceArns: ['arn:aws:s3:::camunda-docs/a.pdf'],
      ContextEntries: [
        { ContextKeyName: 'aws:SourceVpc', ContextKeyValues: ['vpc-9999'], ContextKeyType: 'string' },
        {
          ContextKeyName: 'aws:PrincipalTag/team',
          ContextKeyValues: ['camunda-core'],
          ContextKeyType: 'stringList',
        },
      ],
    });
    expect(wrongVpc.EvaluationResults?.[0].EvalDecision).toBe('implicitDeny');
  });

  it('hides resource scoping when no ResourceArns are given (the simulator reads * as any resource)', async () => {
    const r = await simulate({ PolicySourceArn: roleArn, ActionNames: ['es:ESHttpGet', 'es:DeleteDomain'] });
    expect(r.EvaluationResults?.map((e) => [e.EvalActionName, e.EvalResourceName, e.EvalDecision])).toEqual([
      ['es:ESHttpGet', '*', 'allowed'],
      ['es:DeleteDomain', '*', 'implicitDeny'],
    ]);
    expect(r.EvaluationResults?.[0].ResourceSpecificResults).toBeUndefined();
  });

  it('applies the permissions boundary and says so', async () => {
    const r = await simulate({
      PolicySourceArn: boundedArn,
      ActionNames: ['rds-db:connect', 'es:ESHttpGet'],
      ResourceArns: [DB],
    });
    expect(r.EvaluationResults?.map((e) => [e.EvalDecision, e.PermissionsBoundaryDecisionDetail])).toEqual([
      ['implicitDeny', { AllowedByPermissionsBoundary: false }],
      ['allowed', { AllowedByPermissionsBoundary: true }],
    ]);
  });

  it('adds PolicyInputList documents as extra policies', async () => {
    const extra = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: '*' }],
    });
    const r = await simulate({
      PolicySourceArn: roleArn,
      ActionNames: ['eks:DescribeCluster'],
      PolicyInputList: [extra],
    });
    expect(r.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StartPosition: { Line: 1, Column: extra.indexOf('[') + 2 },
          EndPosition: { Line: 1, Column: extra.length - 1 },
        },
      ],
    });
    const bad = await failure(
      simulate({ PolicySourceArn: roleArn, ActionNames: ['a:b'], PolicyInputList: ['{'] }),
    );
    expect(bad).toMatchObject({ code: 'MalformedPolicyDocument', status: 400 });
  });

  it('answers NoSuchEntity for an unknown role and InvalidInput for a malformed source ARN', async () => {
    expect(
      await failure(simulate({ PolicySourceArn: cp.iam.roleArn('ghost'), ActionNames: ['rds-db:connect'] })),
    ).toMatchObject({ code: 'NoSuchEntity', status: 404 });
    expect(
      await failure(simulate({ PolicySourceArn: 'camunda-zeebe', ActionNames: ['rds-db:connect'] })),
    ).toMatchObject({ code: 'InvalidInput', status: 400 });
  });
});

describe('the operator', () => {
  it('without iam:SimulatePrincipalPolicy gets AccessDenied naming the action and the role', async () => {
    cp.operator.revoke('iam:SimulatePrincipalPolicy');
    try {
      const denied = await failure(simulate({ PolicySourceArn: roleArn, ActionNames: ['rds-db:connect'] }));
      expect(denied).toMatchObject({
        code: 'AccessDenied',
        status: 403,
        message: `User: arn:aws:iam::${ACCT}:user/operator is not authorized to perform: iam:SimulatePrincipalPolicy on resource: role camunda-zeebe because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
      });
      // The rest of the read access is untouched.
      await iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' })));
    } finally {
      cp.operator.grant('iam:SimulatePrincipalPolicy');
    }
    await simulate({ PolicySourceArn: roleArn, ActionNames: ['rds-db:connect'] });
  });

  it('with an explicit Deny on GetRole for one path is told so', async () => {
    cp.operator.deny('iam:GetRole', `arn:aws:iam::${ACCT}:role/service-roles/*`);
    try {
      const denied = await failure(iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' }))));
      expect(denied.message).toBe(
        `User: arn:aws:iam::${ACCT}:user/operator is not authorized to perform: iam:GetRole on resource: role camunda-zeebe with an explicit deny in an identity-based policy`,
      );
      await iam((c) => c.send(new GetRoleCommand({ RoleName: 'bounded' })));
    } finally {
      cp.operator.policy.Statement.pop();
    }
  });
});

describe('authentication', () => {
  it('refuses a client that signs IAM for a regional scope, as IAM does behind an endpoint override', async () => {
    const e = await failure(
      iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' })), cp.env, 'eu-west-1'),
    );
    expect(e).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(e.message).toContain('Credential should be scoped to a valid region');
  });

  it('answers InvalidClientTokenId for an unknown key and SignatureDoesNotMatch for a wrong secret', async () => {
    const unknown = await failure(
      iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' })), {
        ...cp.env,
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000',
      }),
    );
    expect(unknown).toMatchObject({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    const wrong = await failure(
      iam((c) => c.send(new GetRoleCommand({ RoleName: 'camunda-zeebe' })), {
        ...cp.env,
        AWS_SECRET_ACCESS_KEY: 'not-the-secret',
      }),
    );
    expect(wrong).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(cp.iamApi.requests.at(-1)).toMatchObject({ status: 403, errorCode: 'SignatureDoesNotMatch' });
  });
});
