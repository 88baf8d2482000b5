import { describe, expect, it } from 'vitest';
import { analysePodIdentityTrust } from '../../../../src/audit/pod-identity/pod-identity-trust.js';
import { parsePolicyDocument } from '../../../../src/aws/policy/policy-document.js';

const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
const request = {
  clusterName: 'prod',
  clusterArn: CLUSTER_ARN,
  namespace: 'camunda',
  serviceAccount: 'zeebe',
};

function policy(statements: unknown[]) {
  const p = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  if (!p.ok) throw new Error(p.problem);
  return p.policy;
}
const kinds = (doc: unknown[]) =>
  analysePodIdentityTrust(policy(doc), request).map((v) => `${v.action}:${v.kind}`);

describe('analysePodIdentityTrust', () => {
  it('admits the documented statement for both actions', () => {
    expect(
      kinds([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ]),
    ).toEqual(['sts:AssumeRole:allowed', 'sts:TagSession:allowed']);
  });

  it('refuses TagSession when only AssumeRole is allowed, and names what failed in the closest statement', () => {
    const [assume, tag] = analysePodIdentityTrust(
      policy([
        {
          Sid: 'Pods',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
      request,
    );
    expect(assume?.kind).toBe('allowed');
    expect(tag).toEqual({
      action: 'sts:TagSession',
      kind: 'not-allowed',
      closest: { statement: 'Sid "Pods"', failed: [{ part: 'action' }] },
    });
  });

  it('an IRSA-only trust policy admits neither action', () => {
    expect(
      kinds([
        {
          Effect: 'Allow',
          Principal: {
            Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ]),
    ).toEqual(['sts:AssumeRole:not-allowed', 'sts:TagSession:not-allowed']);
  });

  it('evaluates the source account and cluster ARN EKS sends, and the session tags', () => {
    const base = {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    };
    expect(
      kinds([
        {
          ...base,
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111122223333',
              'aws:RequestTag/kubernetes-namespace': 'camunda',
            },
            ArnEquals: { 'aws:SourceArn': CLUSTER_ARN },
          },
        },
      ]),
    ).toEqual(['sts:AssumeRole:allowed', 'sts:TagSession:allowed']);
    const other = analysePodIdentityTrust(
      policy([{ ...base, Condition: { StringEquals: { 'aws:SourceAccount': '444455556666' } } }]),
      request,
    );
    expect(other[0]).toMatchObject({
      kind: 'not-allowed',
      closest: {
        failed: [
          {
            part: 'condition',
            key: 'aws:SourceAccount',
            expected: ['444455556666'],
            observed: ['111122223333'],
          },
        ],
      },
    });
  });

  it('a condition on the pod name (unknowable from outside) is taken to hold, and said so', () => {
    const [v] = analysePodIdentityTrust(
      policy([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'zeebe-*' } },
        },
      ]),
      request,
    );
    expect(v).toMatchObject({ kind: 'allowed', assumed: [{ key: 'aws:RequestTag/kubernetes-pod-name' }] });
  });

  it('an explicit Deny wins', () => {
    expect(
      kinds([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
        { Effect: 'Deny', Principal: '*', Action: 'sts:TagSession' },
      ]),
    ).toEqual(['sts:AssumeRole:allowed', 'sts:TagSession:denied']);
  });
});
