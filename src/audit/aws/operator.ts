import { sweepFact } from '../audit-context.js';
import type { AwsResult } from './aws-result.js';

export interface Operator {
  arn: string;
  account: string;
}

/** Who runs the audit: IAM reads only this account, so a role elsewhere cannot be read. */
export const operatorIdentity = sweepFact('operator', async (ctx): Promise<AwsResult<Operator>> => {
  const r = await ctx.sweep.aws.call(
    'sts',
    'sts:GetCallerIdentity',
    (sts, abortSignal, { GetCallerIdentityCommand }) =>
      sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  return r.ok ? { ok: true, value: { arn: r.value.Arn ?? '', account: r.value.Account ?? '' } } : r;
});
