import { describe, expect, it } from 'vitest';
import { decisionsOf, describeStatements } from '../../../../src/audit/permissions/simulate-role.js';

describe('decisionsOf', () => {
  it('reads ResourceSpecificResults when IAM gives them', () => {
    expect(
      decisionsOf({
        EvalActionName: 'rds-db:connect',
        EvalResourceName: 'arn:a',
        EvalDecision: 'implicitDeny',
        MissingContextValues: [],
        ResourceSpecificResults: [
          {
            EvalResourceName: 'arn:a',
            EvalResourceDecision: 'explicitDeny',
            MatchedStatements: [
              { SourcePolicyId: 'p', SourcePolicyType: 'role', StartPosition: { Line: 3, Column: 5 } },
            ],
            PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
          },
        ],
      }),
    ).toEqual([
      {
        action: 'rds-db:connect',
        resource: 'arn:a',
        decision: 'explicitDeny',
        matchedStatements: [{ policy: 'p', type: 'role', at: '3:5' }],
        missingContext: [],
        allowedByBoundary: true,
      },
    ]);
  });
  it("falls back to the action's own verdict, and an unknown decision is no allow", () => {
    expect(
      decisionsOf({ EvalActionName: 'es:ESHttpGet', EvalResourceName: '*', EvalDecision: 'allowed' })[0],
    ).toMatchObject({ resource: '*', decision: 'allowed', matchedStatements: [], missingContext: [] });
    expect(decisionsOf({ EvalActionName: 'x', EvalDecision: 'weird' as never })[0]?.decision).toBe(
      'implicitDeny',
    );
  });
  it('describes statements by Sid, policy, type and position', () => {
    expect(
      describeStatements([{ policy: 'p', type: 'role', at: '3:5', statement: 'Sid "X"' }, { policy: 'm' }]),
    ).toBe('Sid "X" of p (role) at 3:5, m');
  });
});
