/**
 * The role trust policy statement that admits one particular token (REFERENCE section 3): principal
 * Federated = the account's IAM OIDC provider for the token's issuer, action
 * sts:AssumeRoleWithWebIdentity, StringEquals on `<issuer without https://>:sub` and `:aud`.
 * Pure, so the remediation printed for STS-TRUST-POLICY is unit-tested.
 */

export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
/** What a ServiceAccount token's sub looks like; used when the token has none. */
export const SUB_PLACEHOLDER = 'system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT';

export interface TrustPolicyInput {
  partition: string;
  /** The ROLE's account: the OIDC provider must exist there. */
  account: string;
  /** The token's `iss`, e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/ABC. */
  issuer: string;
  /** The token's `sub`, e.g. system:serviceaccount:camunda:zeebe. */
  subject?: string;
  audience?: string;
}

export interface TrustStatement {
  Effect: 'Allow';
  Principal: { Federated: string };
  Action: 'sts:AssumeRoleWithWebIdentity';
  Condition: { StringEquals: Record<string, string> };
}

/** `oidc.eks.REGION.amazonaws.com/id/ID`: the issuer as IAM names the provider and its condition keys. */
export function issuerHostOf(issuer: string): string {
  return (
    issuer
      .trim()
      // Any scheme: an http:// issuer (never valid for IAM) must not end up inside a provider ARN.
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/\/+$/, '')
  );
}

export function oidcProviderArn(partition: string, account: string, issuer: string): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${issuerHostOf(issuer)}`;
}

export function trustStatementFor(input: TrustPolicyInput): TrustStatement {
  const host = issuerHostOf(input.issuer);
  return {
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn(input.partition, input.account, input.issuer) },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${host}:sub`]: input.subject || SUB_PLACEHOLDER,
        [`${host}:aud`]: input.audience || DEFAULT_AUDIENCE,
      },
    },
  };
}

/** The whole policy document, indented, ready for `aws iam update-assume-role-policy`. */
export function renderTrustPolicy(input: TrustPolicyInput): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [trustStatementFor(input)] }, null, 2);
}
