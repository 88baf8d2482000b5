// Does a role's trust policy let EKS Pod Identity in? EKS Auth assumes the association's role as the
// service pods.eks.amazonaws.com, with sts:AssumeRole and sts:TagSession (it tags the session with the
// cluster, namespace, ServiceAccount and pod), and both must be allowed. Pure.
import { evaluatePolicy, type StatementCheck } from '../../aws/policy/evaluate-policy.js';
import type { PolicyDocument } from '../../aws/policy/policy-document.js';
import { closestStatement, type FailedPart, statementRef } from '../trust/trust-analysis.js';

export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
export const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'] as const;

/** The session tags EKS Auth sets; the pod's name and uid are not known from outside a pod. */
const SESSION_TAGS = [
  'eks-cluster-arn',
  'eks-cluster-name',
  'kubernetes-namespace',
  'kubernetes-service-account',
  'kubernetes-pod-name',
  'kubernetes-pod-uid',
];

export interface PodIdentityRequest {
  clusterName: string;
  clusterArn?: string;
  namespace: string;
  serviceAccount: string;
}

export type ActionVerdict =
  | {
      action: string;
      kind: 'allowed';
      statement: string;
      /** conditions on keys the audit cannot know (the pod's name), taken to hold */
      assumed?: Array<{ operator: string; key: string; expected: string[] }>;
    }
  | { action: string; kind: 'denied'; statement: string }
  | { action: string; kind: 'not-allowed'; closest?: { statement: string; failed: FailedPart[] } };

export function analysePodIdentityTrust(policy: PolicyDocument, r: PodIdentityRequest): ActionVerdict[] {
  const account = r.clusterArn?.split(':')[4];
  const context: Record<string, string | string[]> = {
    'aws:RequestTag/eks-cluster-name': r.clusterName,
    'aws:RequestTag/kubernetes-namespace': r.namespace,
    'aws:RequestTag/kubernetes-service-account': r.serviceAccount,
    'aws:TagKeys': SESSION_TAGS,
    ...(r.clusterArn
      ? { 'aws:SourceArn': r.clusterArn, 'aws:RequestTag/eks-cluster-arn': r.clusterArn }
      : {}),
    ...(account ? { 'aws:SourceAccount': account } : {}),
  };
  const known = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  return POD_IDENTITY_ACTIONS.map((action): ActionVerdict => {
    const result = evaluatePolicy(policy, {
      principal: { type: 'Service', id: POD_IDENTITY_SERVICE },
      action,
      context,
    });
    const ref = (c: StatementCheck) => statementRef(policy.statements[c.index]!, c.index);
    if (result.decision === 'explicit-deny')
      return {
        action,
        kind: 'denied',
        statement: ref(result.statements.find((s) => s.applies && s.effect === 'Deny')!),
      };
    if (result.decision === 'allow')
      return {
        action,
        kind: 'allowed',
        statement: ref(result.statements.find((s) => s.applies && s.effect === 'Allow')!),
      };
    const allows = result.statements.filter((s) => s.effect === 'Allow');
    // A statement that fails only on keys nobody outside the pod can know is not a verdict against it.
    const unknowable = allows.find(
      (s) =>
        s.principal &&
        s.action &&
        s.conditions.some((c) => !c.matches) &&
        s.conditions.every((c) => c.matches || !known.has(c.key.toLowerCase())),
    );
    if (unknowable)
      return {
        action,
        kind: 'allowed',
        statement: ref(unknowable),
        assumed: unknowable.conditions
          .filter((c) => !c.matches)
          .map((c) => ({ operator: c.operator, key: c.key, expected: c.expected })),
      };
    const closest = closestStatement(allows, ref);
    return { action, kind: 'not-allowed', ...(closest ? { closest } : {}) };
  });
}

export function describeFailedParts(failed: FailedPart[]): string {
  return failed
    .map((f) =>
      f.part === 'principal'
        ? `its principal is not the service ${POD_IDENTITY_SERVICE}`
        : f.part === 'action'
          ? 'its Action does not cover it'
          : `${f.operator} ${f.key} expects ${JSON.stringify(f.expected?.length === 1 ? f.expected[0] : f.expected)} but EKS sends ${JSON.stringify(f.observed?.length === 1 ? f.observed[0] : (f.observed ?? null))}`,
    )
    .join('; ');
}
