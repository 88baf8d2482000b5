import { parseRoleArn, suggestedRoleArn } from '../../lib/arn.js';
import { redact } from '../../lib/redact.js';
import type { StsCall } from '../facts/web-identity.js';
import {
  describeStsError,
  NETWORK_FAILURE_TEXT,
  type StsClassification,
  type StsErrorFacts,
} from './classify-sts-error.js';
import { stsUnreachableFix } from './sts-unreachable-fix.js';
import { DEFAULT_AUDIENCE, issuerHostOf, oidcProviderArn, renderTrustPolicy } from './trust-policy.js';

/** What an STS refusal is explained from: the call, the token's claims and what STS said. */
export interface StsFailure {
  env: Readonly<Record<string, string | undefined>>;
  call: StsCall;
  /** The audience STS matches this token by: what the printed fixes must name. */
  tokenAudience: string;
  error: StsErrorFacts;
  classification: StsClassification;
  issuer?: string;
  subject?: string;
  audience?: string[];
  elapsedMs: number;
}

function roleParts(roleArn: string): { partition: string; account: string; name: string } {
  const p = parseRoleArn(roleArn);
  if (p.ok) return p.arn;
  const guess = parseRoleArn(suggestedRoleArn(roleArn));
  if (guess.ok) return guess.arn;
  return { partition: 'aws', account: 'ACCOUNT_ID', name: 'ROLE_NAME' };
}

/** The message and the exact fix for an AssumeRoleWithWebIdentity refusal, by its classified cause. */
export function explainStsFailure(c: StsFailure): { message: string; remediation: string } {
  const said = redact(describeStsError(c.error));
  const role = roleParts(c.call.roleArn);
  const iss = c.issuer ?? 'ISSUER';
  const host = issuerHostOf(iss);
  const providerArn = oidcProviderArn(role.partition, role.account, iss);
  const getRole = `aws iam get-role --role-name ${role.name} --query Role.AssumeRolePolicyDocument`;
  switch (c.classification.cause) {
    case 'STS-NO-OIDC-PROVIDER':
      if (!/^https:\/\//i.test(iss))
        return {
          message: `STS found no IAM OIDC provider for issuer ${iss} in account ${role.account}: the token's issuer is not an https URL, and IAM OIDC providers exist only for https issuers (${said}).`,
          remediation: `Set the API server's --service-account-issuer to the https URL that serves the discovery document and keys (EKS: https://oidc.eks.REGION.amazonaws.com/id/ID), restart the pods so their tokens carry it, and create the provider for it: aws iam create-open-id-connect-provider --url https://${host} --client-id-list ${c.tokenAudience}.`,
        };
      return {
        message: `STS found no IAM OIDC provider for issuer ${iss} in account ${role.account} (${said}).`,
        remediation: `${trailingSlashNote(iss)}Create the provider in the role's account ${role.account}: eksctl utils associate-iam-oidc-provider --cluster CLUSTER --approve, or aws iam create-open-id-connect-provider --url ${iss} --client-id-list ${c.tokenAudience}. Confirm with aws iam list-open-id-connect-providers | grep ${host.split('/').pop()} (expect ${providerArn}). If it already exists, STS was called in the wrong region or partition: this call went to ${c.call.endpoint} (region ${c.call.region}, ${c.call.regionSource}); set AWS_REGION to the cluster's region and use the ${role.partition} partition's STS endpoint.`,
      };
    case 'STS-AUDIENCE':
      return {
        message: `STS says the token audience ${JSON.stringify(c.audience ?? [])} is not in the ClientIDList of provider ${providerArn} (${said}).`,
        remediation: `Add the token's audience as a client ID of the provider: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${providerArn} --client-id ${c.tokenAudience} (check with aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${providerArn} --query ClientIDList).${c.tokenAudience === DEFAULT_AUDIENCE ? '' : ` If ${c.tokenAudience} is not intended, remove the eks.amazonaws.com/audience annotation from the ServiceAccount instead (the token then carries ${DEFAULT_AUDIENCE}) and restart the pod.`}`,
      };
    case 'STS-THUMBPRINT':
      return {
        message: `STS says the HTTPS certificate of ${iss} does not match the thumbprint configured on ${providerArn} (${said}).`,
        remediation: `Set the root CA thumbprint: aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${providerArn} --thumbprint-list <sha1 of the root CA, lowercase hex without colons> (get it with: echo | openssl s_client -servername ${sniOf(host)} -showcerts -connect ${connectOf(host)} 2>/dev/null | awk '/BEGIN CERT/{c=""} {c=c $0 "\\n"} /END CERT/{l=c} END{printf "%s", l}' | openssl x509 -fingerprint -sha1 -noout). Compare with aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${providerArn} --query ThumbprintList.`,
      };
    case 'STS-JWKS-UNREACHABLE':
      return {
        message:
          c.classification.jwks === 'key-not-found'
            ? `STS could not find a verification key for this token at ${iss} (${said}).`
            : `STS could not fetch the signing keys from ${iss} (${said}).`,
        remediation: `Make ${iss}/.well-known/openid-configuration and its jwks_uri publicly reachable over HTTPS with a publicly trusted certificate (curl -s ${iss}/.well-known/openid-configuration), and make sure the JWKS publishes the key (kid) that signs this cluster's ServiceAccount tokens. EKS-managed issuers serve this themselves: if this is EKS, retry (EKS throttles the endpoint) and check that the token was projected by this cluster.`,
      };
    case 'STS-TRUST-POLICY': {
      const policy = renderTrustPolicy({
        partition: role.partition,
        account: role.account,
        issuer: iss,
        subject: c.subject,
        audience: c.tokenAudience,
      });
      return {
        message: `STS refused to let ${c.subject ?? 'this token'} assume ${c.call.roleArn}: the role trust policy does not admit it (${said}).`,
        remediation: `Give role ${role.name} a trust policy that admits this token (check the current one with ${getRole}; the :sub must be exactly ${c.subject ?? 'system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT'}), e.g. aws iam update-assume-role-policy --role-name ${role.name} --policy-document file://trust.json with trust.json:\n${policy}\nIf the statement is already there, the provider ARN ${providerArn} must exist (aws iam list-open-id-connect-providers) and no SCP may deny sts:AssumeRoleWithWebIdentity.`,
      };
    }
    case 'STS-INVALID-ARN':
      return {
        message: `STS rejected the role ARN ${JSON.stringify(c.call.roleArn)} (${said}).`,
        remediation: `Fix the ServiceAccount annotation: kubectl annotate sa SERVICE_ACCOUNT -n NAMESPACE eks.amazonaws.com/role-arn=${suggestedRoleArn(c.call.roleArn)} --overwrite (exactly arn:PARTITION:iam::ACCOUNT:role/NAME, 5 colons, 12-digit account), then kubectl rollout restart deployment/NAME -n NAMESPACE. The role-arn check names what is wrong with it.`,
      };
    case 'STS-TOKEN-EXPIRED':
      return {
        message: `STS says the web identity token has expired (${said}).`,
        remediation:
          'Restart the pod (kubectl delete pod POD -n NAMESPACE) so the kubelet projects a fresh token; if it recurs, check the node clock (chrony/NTP) and that the kubelet refreshes projected tokens, and make the application re-read the token file instead of caching it (current AWS SDKs do).',
      };
    case 'STS-REGION-DISABLED':
      return {
        message: `STS is not activated in region ${c.call.region} for account ${role.account} (${said}).`,
        remediation: `Activate STS in ${c.call.region}: IAM console > Account settings > Security Token Service (STS) > Endpoints > ${c.call.region} > Activate (an account administrator), or set AWS_REGION to a region where STS is active.`,
      };
    case 'STS-INVALID-TOKEN':
      return {
        message: `STS rejected the token itself (${said}).`,
        remediation: `Use the token the kubelet projects for this pod (AWS_WEB_IDENTITY_TOKEN_FILE), never a copied one; check that its kid is in ${iss}/keys (curl -s ${iss}/keys) and that the node clock is right; restart the pod for a fresh token.`,
      };
    case 'STS-IDP-REJECTED':
      return {
        message: `The identity provider rejected the token's claims (${said}).`,
        remediation: `Mint the token with the audience ${DEFAULT_AUDIENCE} (remove the eks.amazonaws.com/audience annotation) and check the claims the token-claims check prints against the provider configuration (aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${providerArn}).`,
      };
    case 'STS-UNREACHABLE':
      if (c.classification.network === 'bad-gateway')
        return {
          message: `${c.error.httpStatus ? `HTTP ${c.error.httpStatus}` : 'An answer'} from ${c.call.endpoint}, not an STS answer (a proxy or gateway in the way?)${c.error.message === 'Unknown' ? '' : `: ${redact(c.error.message).replace(/\.+$/, '')}`}.`,
          remediation: stsUnreachableFix(c),
        };
      return {
        message: `STS at ${c.call.endpoint} did not answer: ${NETWORK_FAILURE_TEXT[c.classification.network ?? 'other']}${c.classification.network === 'timeout' ? `, waited ${c.elapsedMs} ms` : ''} (${said}).`,
        remediation: stsUnreachableFix(c),
      };
    default:
      return {
        message: `STS refused AssumeRoleWithWebIdentity with an error this tool has no diagnosis for: ${said}.`,
        remediation: `Act on the STS error: ${said}. Reproduce with aws sts assume-role-with-web-identity --role-arn ${c.call.roleArn} --role-session-name test --web-identity-token "$(cat $AWS_WEB_IDENTITY_TOKEN_FILE)" --region ${c.call.region} --debug.`,
      };
  }
}

/** STS matches iss to a provider URL exactly, so a trailing slash in iss alone can cause "no provider". */
function trailingSlashNote(iss: string): string {
  return /\/$/.test(iss.trim())
    ? `The token's iss ${iss} ends with a slash: STS needs a provider whose URL matches it exactly; prefer setting the API server's --service-account-issuer without the trailing slash (then restart the pods), else create the provider for it. `
    : '';
}

function sniOf(issuerHost: string): string {
  return (issuerHost.split('/')[0] ?? issuerHost).replace(/:\d+$/, '');
}

function connectOf(issuerHost: string): string {
  const authority = issuerHost.split('/')[0] ?? issuerHost;
  return /:\d+$/.test(authority) ? authority : `${authority}:443`;
}
