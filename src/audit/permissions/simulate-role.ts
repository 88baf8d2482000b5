// iam:SimulatePrincipalPolicy on the role for exact actions and resources: IAM's own verdict over the
// role's identity policies and permissions boundary. Memoised per question, so ServiceAccounts that share
// a role and a target share one call.
import type { EvaluationResult, Statement } from '@aws-sdk/client-iam';
import { sweepFactFamily } from '../audit-context.js';
import type { AwsResult } from '../aws/aws-result.js';

export interface SimulationQuestion {
  roleArn: string;
  actions: string[];
  resources: string[];
}

export type IamDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface MatchedStatement {
  /** the policy's name (inline), its name or ARN (managed), as IAM reports it */
  policy: string;
  type?: string;
  /** where the statement starts in the policy document, line:column */
  at?: string;
}

export interface SimulatedDecision {
  action: string;
  resource: string;
  decision: IamDecision;
  matchedStatements: MatchedStatement[];
  /** condition keys the decision needed and the simulation did not have */
  missingContext: string[];
  /** false: the permissions boundary is what refuses */
  allowedByBoundary?: boolean;
}

const MAX_PAGES = 10;

export const simulateRole = sweepFactFamily(
  'simulate-principal-policy',
  (q: SimulationQuestion) => `${q.roleArn} ${q.actions.join(',')} ${q.resources.join(',')}`,
  async (ctx, q): Promise<AwsResult<SimulatedDecision[]>> => {
    const out: SimulatedDecision[] = [];
    let Marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await ctx.sweep.aws.call(
        'iam',
        'iam:SimulatePrincipalPolicy',
        (iam, abortSignal, { SimulatePrincipalPolicyCommand }) =>
          iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: q.roleArn,
              ActionNames: q.actions,
              // Exact resources: against the default `*` a grant on the wrong resource still reads allowed.
              ResourceArns: q.resources,
              Marker,
            }),
            { abortSignal },
          ),
      );
      if (!r.ok) return r;
      for (const e of r.value.EvaluationResults ?? []) out.push(...decisionsOf(e));
      Marker = r.value.IsTruncated ? r.value.Marker : undefined;
      if (!Marker) break;
    }
    return { ok: true, value: out };
  },
);

/** One result per resource: ResourceSpecificResults when IAM gives them, else the action's own verdict. */
export function decisionsOf(e: EvaluationResult): SimulatedDecision[] {
  const action = e.EvalActionName ?? '';
  const base = {
    matched: e.MatchedStatements,
    missing: e.MissingContextValues,
    boundary: e.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
  };
  const specific = e.ResourceSpecificResults ?? [];
  if (specific.length === 0)
    return [
      decision(action, e.EvalResourceName ?? '*', e.EvalDecision, base.matched, base.missing, base.boundary),
    ];
  return specific.map((s) =>
    decision(
      action,
      s.EvalResourceName ?? e.EvalResourceName ?? '*',
      s.EvalResourceDecision ?? e.EvalDecision,
      s.MatchedStatements ?? base.matched,
      s.MissingContextValues ?? base.missing,
      s.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary ?? base.boundary,
    ),
  );
}

function decision(
  action: string,
  resource: string,
  raw: string | undefined,
  matched: Statement[] | undefined,
  missing: string[] | undefined,
  boundary: boolean | undefined,
): SimulatedDecision {
  const d: IamDecision = raw === 'allowed' || raw === 'explicitDeny' ? raw : 'implicitDeny';
  return {
    action,
    resource,
    decision: d,
    matchedStatements: (matched ?? []).map((s) => ({
      policy: s.SourcePolicyId ?? 'unknown',
      ...(s.SourcePolicyType ? { type: s.SourcePolicyType } : {}),
      ...(s.StartPosition?.Line !== undefined
        ? { at: `${s.StartPosition.Line}:${s.StartPosition.Column ?? 0}` }
        : {}),
    })),
    missingContext: missing ?? [],
    ...(boundary !== undefined ? { allowedByBoundary: boundary } : {}),
  };
}

/** `inline-policy-1 (role) at 3:5`: how a finding names the statements that decided. */
export function describeStatements(list: Array<MatchedStatement & { statement?: string }>): string {
  return list
    .map(
      (s) =>
        `${s.statement ? `${s.statement} of ` : ''}${s.policy}${s.type ? ` (${s.type})` : ''}${s.at ? ` at ${s.at}` : ''}`,
    )
    .join(', ');
}
