// IAM's simulation points at the statements that decided by policy and position only. To name them the
// way a fix must (Sid "DenyProd" of policy app-db), the role's own documents are read, URL-encoded as IAM
// returns them, once per policy per audit. Best effort: a read that fails leaves IAM's own naming.
import { evaluatePolicy } from '../../aws/policy/evaluate-policy.js';
import { type PolicyDocument, parsePolicyDocument } from '../../aws/policy/policy-document.js';
import type { RoleArn } from '../../lib/arn.js';
import { type AuditContext, sweepFactFamily } from '../audit-context.js';
import { statementRef } from '../trust/trust-analysis.js';
import type { MatchedStatement } from './simulate-role.js';

interface PolicyQuestion {
  roleName: string;
  policy: string;
  type?: string;
}

/** The document of one policy of the role: inline by name, managed by name or ARN (its default version). */
const rolePolicyDocument = sweepFactFamily(
  'role-policy-document',
  (q: PolicyQuestion) => `${q.roleName} ${q.type ?? ''} ${q.policy}`,
  async (ctx, q): Promise<PolicyDocument | undefined> => {
    const { aws } = ctx.sweep;
    let text: string | undefined;
    if (q.type === 'role') {
      const r = await aws.call('iam', 'iam:GetRolePolicy', (iam, abortSignal, { GetRolePolicyCommand }) =>
        iam.send(new GetRolePolicyCommand({ RoleName: q.roleName, PolicyName: q.policy }), { abortSignal }),
      );
      text = r.ok ? r.value.PolicyDocument : undefined;
    } else if (q.type === 'user-managed' || q.type === 'aws-managed') {
      const arn = q.policy.startsWith('arn:') ? q.policy : await attachedPolicyArn(ctx, q.roleName, q.policy);
      if (!arn) return undefined;
      const p = await aws.call('iam', 'iam:GetPolicy', (iam, abortSignal, { GetPolicyCommand }) =>
        iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal }),
      );
      const version = p.ok ? p.value.Policy?.DefaultVersionId : undefined;
      if (!version) return undefined;
      const v = await aws.call(
        'iam',
        'iam:GetPolicyVersion',
        (iam, abortSignal, { GetPolicyVersionCommand }) =>
          iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version }), { abortSignal }),
      );
      text = v.ok ? v.value.PolicyVersion?.Document : undefined;
    }
    if (!text) return undefined;
    // IAM sends documents URL-encoded; the parser decodes them.
    const parsed = parsePolicyDocument(text);
    return parsed.ok ? parsed.policy : undefined;
  },
);

async function attachedPolicyArn(
  ctx: AuditContext,
  roleName: string,
  name: string,
): Promise<string | undefined> {
  let Marker: string | undefined;
  for (let page = 0; page < 10; page++) {
    const r = await ctx.sweep.aws.call(
      'iam',
      'iam:ListAttachedRolePolicies',
      (iam, abortSignal, { ListAttachedRolePoliciesCommand }) =>
        iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker }), { abortSignal }),
    );
    if (!r.ok) return undefined;
    const hit = r.value.AttachedPolicies?.find((a) => a.PolicyName === name);
    if (hit?.PolicyArn) return hit.PolicyArn;
    Marker = r.value.IsTruncated ? r.value.Marker : undefined;
    if (!Marker) return undefined;
  }
  return undefined;
}

/**
 * The matched statements with the statement itself named: each policy's statements of that effect whose
 * action and resource cover the request (conditions aside: IAM already said they matched).
 */
export async function nameStatements(
  ctx: AuditContext,
  role: RoleArn,
  matched: MatchedStatement[],
  request: { action: string; resource: string; effect: 'Allow' | 'Deny' },
): Promise<Array<MatchedStatement & { statement?: string }>> {
  return Promise.all(
    matched.map(async (m) => {
      const doc = await rolePolicyDocument(ctx, {
        roleName: role.name,
        policy: m.policy,
        ...(m.type ? { type: m.type } : {}),
      });
      if (!doc) return m;
      const checks = evaluatePolicy(doc, { action: request.action, resource: request.resource, context: {} })
        .statements.filter((c) => c.effect === request.effect && c.action && c.resource)
        .map((c) => statementRef(doc.statements[c.index]!, c.index));
      return checks.length ? { ...m, statement: checks.join(', ') } : m;
    }),
  );
}
