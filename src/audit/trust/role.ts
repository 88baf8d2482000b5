// The role a ServiceAccount names, read once per audit however many ServiceAccounts name it.
import { type ParsedPolicy, parsePolicyDocument } from '../../aws/policy/policy-document.js';
import type { RoleArn } from '../../lib/arn.js';
import { sweepFactFamily } from '../audit-context.js';
import type { AwsFailure } from '../aws/aws-result.js';
import { operatorIdentity } from '../aws/operator.js';

export type RoleFact =
  | { state: 'found'; arn: string; trust: ParsedPolicy }
  | { state: 'missing' }
  /** In an account the operator's credentials cannot read. */
  | { state: 'other-account'; operatorAccount: string }
  | { state: 'failed'; failure: AwsFailure };

export const iamRole = sweepFactFamily(
  'iam-role',
  (arn: RoleArn) => arn.arn,
  async (ctx, arn): Promise<RoleFact> => {
    const me = await operatorIdentity(ctx);
    if (me.ok && me.value.account && me.value.account !== arn.account)
      return { state: 'other-account', operatorAccount: me.value.account };
    const r = await ctx.sweep.aws.call('iam', 'iam:GetRole', (iam, abortSignal, { GetRoleCommand }) =>
      iam.send(new GetRoleCommand({ RoleName: arn.name }), { abortSignal }),
    );
    if (!r.ok) return r.kind === 'not-found' ? { state: 'missing' } : { state: 'failed', failure: r };
    return {
      state: 'found',
      arn: r.value.Role?.Arn ?? arn.arn,
      // IAM sends the document URL-encoded; the parser takes either form.
      trust: parsePolicyDocument(r.value.Role?.AssumeRolePolicyDocument ?? ''),
    };
  },
);
