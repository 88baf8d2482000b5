// The IAM OIDC provider for the cluster's issuer in one account (the role's: STS looks there).
import { issuerHostOf, oidcProviderArn } from '../../aws/trust-policy.js';
import { sweepFactFamily } from '../audit-context.js';
import type { AwsFailure } from '../aws/aws-result.js';

export type ProviderFact =
  | { state: 'found'; arn: string; clientIds: string[]; thumbprints: string[] }
  | { state: 'missing'; arn: string }
  | { state: 'failed'; arn: string; failure: AwsFailure };

export const oidcProvider = sweepFactFamily(
  'oidc-provider',
  (k: { partition: string; account: string; issuer: string }) =>
    `${k.partition}:${k.account}:${issuerHostOf(k.issuer)}`,
  async (ctx, k): Promise<ProviderFact> => {
    const arn = oidcProviderArn(k.partition, k.account, k.issuer);
    const r = await ctx.sweep.aws.call(
      'iam',
      'iam:GetOpenIDConnectProvider',
      (iam, abortSignal, { GetOpenIDConnectProviderCommand }) =>
        iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), { abortSignal }),
    );
    if (r.ok)
      return {
        state: 'found',
        arn,
        clientIds: r.value.ClientIDList ?? [],
        thumbprints: r.value.ThumbprintList ?? [],
      };
    // IAM answers NoSuchEntity for an unknown provider ARN (and InvalidInput for a malformed one).
    if (r.kind === 'not-found' || r.code === 'InvalidInput') return { state: 'missing', arn };
    return { state: 'failed', arn, failure: r };
  },
);
