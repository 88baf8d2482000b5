import type { CodeCatalog } from './code-info.js';

const TRUST_CONFIRM =
  "aws iam get-role --role-name ROLE_NAME --query Role.AssumeRolePolicyDocument; aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer --output text; kubectl get pod POD -n NS -o jsonpath='{.spec.serviceAccountName}'";

export const STS_CODES: CodeCatalog = {
  'STS-OK': {
    title: 'STS exchanged the token for role credentials',
    cause: 'AssumeRoleWithWebIdentity with the pod token and AWS_ROLE_ARN succeeded.',
    confirm:
      'aws sts assume-role-with-web-identity --role-arn "$AWS_ROLE_ARN" --role-session-name test --web-identity-token "$(cat $AWS_WEB_IDENTITY_TOKEN_FILE)" --query AssumedRoleUser.Arn',
    fix: 'None.',
  },
  'STS-SKIPPED': {
    title: 'No web identity token to exchange',
    cause:
      'AWS_WEB_IDENTITY_TOKEN_FILE or AWS_ROLE_ARN is unset, or the token file cannot be read or is not a JWT; the env and token checks say which.',
    confirm: 'env | grep -E "AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE"; ls -l "$AWS_WEB_IDENTITY_TOKEN_FILE"',
    fix: 'Fix the env / token-file findings first.',
  },
  'STS-NO-OIDC-PROVIDER': {
    title: 'No IAM OIDC provider for the token issuer',
    cause:
      'InvalidIdentityToken "No OpenIDConnect provider found in your account for ISSUER": the role\'s account has no IAM OIDC provider whose URL equals the token\'s iss (never created, deleted with a cluster, created in another account, or the cluster was recreated with a new issuer ID). Also seen when STS is called in the wrong region or partition (AWS_REGION / AWS_ENDPOINT_URL_STS pointing at another partition).',
    confirm:
      'aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer --output text; aws iam list-open-id-connect-providers | grep ISSUER_ID (in the account of AWS_ROLE_ARN)',
    fix: "eksctl utils associate-iam-oidc-provider --cluster CLUSTER --approve (or aws iam create-open-id-connect-provider --url ISSUER --client-id-list sts.amazonaws.com) in the role's account; if it exists, call STS in the cluster's region and partition.",
  },
  'STS-AUDIENCE': {
    title: 'Token audience not in the OIDC provider',
    cause:
      "InvalidIdentityToken \"Incorrect token audience\": none of the token's aud values is in the IAM OIDC provider's ClientIDList. The provider was created without sts.amazonaws.com, or the ServiceAccount annotation eks.amazonaws.com/audience changed the projected token's audience.",
    confirm:
      "aws iam get-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --query ClientIDList; kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations}'",
    fix: 'aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --client-id sts.amazonaws.com (or remove the eks.amazonaws.com/audience annotation and restart the pod).',
  },
  'STS-THUMBPRINT': {
    title: "Issuer certificate doesn't match the provider thumbprint",
    cause:
      'InvalidIdentityToken "OpenIDConnect provider\'s HTTPS certificate doesn\'t match configured thumbprint": the provider was created (CLI/API) with the thumbprint of a non-root or since-rotated certificate. AWS trusts its own root store first and uses the thumbprint only as fallback; sources disagree whether the top intermediate or the root is wanted.',
    confirm:
      'aws iam get-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --query ThumbprintList; echo | openssl s_client -servername oidc.eks.REGION.amazonaws.com -showcerts -connect oidc.eks.REGION.amazonaws.com:443 2>/dev/null | awk \'/BEGIN CERT/{c=""} {c=c $0 "\\n"} /END CERT/{l=c} END{printf "%s", l}\' | openssl x509 -fingerprint -sha1 -noout',
    fix: "aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn PROVIDER_ARN --thumbprint-list ROOT_CA_SHA1 (the root certificate's SHA-1, lowercase hex without colons).",
  },
  'STS-JWKS-UNREACHABLE': {
    title: "STS couldn't get the issuer's signing keys",
    cause:
      'IDPCommunicationError, or InvalidIdentityToken "Couldn\'t retrieve verification key from your identity provider": STS could not fetch ISSUER/.well-known/openid-configuration and its jwks_uri over public HTTPS (self-managed issuer down, private, or throttling), or the token\'s kid is not in the published JWKS (token from another cluster with a reused issuer URL, keys rotated away).',
    confirm:
      'curl -s ISSUER/.well-known/openid-configuration; curl -s ISSUER/keys | jq ".keys[].kid"; compare with the token header kid',
    fix: "Make the issuer's discovery document and JWKS publicly reachable over HTTPS with a trusted certificate (EKS serves them itself); for a self-managed issuer publish the current signing key in the JWKS.",
  },
  'STS-TRUST-POLICY': {
    title: 'Role trust policy does not admit this token',
    cause:
      'AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity": the role trust policy lacks a statement with Principal Federated = this cluster\'s OIDC provider ARN, or its :sub condition names another namespace/ServiceAccount (or a typo), or its :aud condition is not sts.amazonaws.com, or the provider ARN is for another cluster/account; less often an SCP or the role does not exist.',
    confirm: TRUST_CONFIRM,
    fix: 'aws iam update-assume-role-policy --role-name ROLE_NAME --policy-document file://trust.json with the statement the finding prints (Federated provider ARN, sts:AssumeRoleWithWebIdentity, StringEquals ISSUER:sub = system:serviceaccount:NS:SA and ISSUER:aud = sts.amazonaws.com).',
  },
  'STS-INVALID-ARN': {
    title: 'STS rejected the role ARN',
    cause:
      'ValidationError "Request ARN is invalid": the ServiceAccount annotation eks.amazonaws.com/role-arn is malformed (extra colon, short account ID, whitespace, user ARN); the webhook injects it anyway.',
    confirm: "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: 'kubectl annotate sa SA -n NS eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME --overwrite, then kubectl rollout restart deployment/NAME -n NS.',
  },
  'STS-TOKEN-EXPIRED': {
    title: 'STS says the token expired',
    cause:
      'ExpiredTokenException "Token expired: current date/time ... must be before the expiration date/time ...": the kubelet stopped refreshing the projected token (pod or node problem), the application cached an old token instead of re-reading the file, or the node clock is skewed.',
    confirm:
      'date -u; decode the token exp claim (the token-claims check prints it); ls -l --time-style=full-iso "$AWS_WEB_IDENTITY_TOKEN_FILE"',
    fix: 'Restart the pod (kubectl delete pod POD -n NS) so the kubelet projects a fresh token; fix the node clock (chrony/NTP); make the application re-read the token file (use a current AWS SDK).',
  },
  'STS-REGION-DISABLED': {
    title: 'STS is not activated in the region',
    cause:
      'RegionDisabledException: the account has STS deactivated in the region the pod calls (AWS_REGION with regional endpoints), typically an opt-in region or one disabled under IAM account settings.',
    confirm:
      'aws iam get-account-summary; IAM console > Account settings > Security Token Service (STS) endpoints',
    fix: 'Activate STS for the region in IAM > Account settings (or call STS in an activated region by setting AWS_REGION on the container).',
  },
  'STS-INVALID-TOKEN': {
    title: 'STS rejected the token itself',
    cause:
      "InvalidIdentityToken with another message: the signature does not verify against the issuer's JWKS, the token is not a valid signed JWT, or it is not yet valid (nbf in the future, clock skew).",
    confirm: 'Compare the token header kid with ISSUER/keys; date -u on the node',
    fix: 'Use the token the kubelet projects (do not copy tokens between clusters); restart the pod for a fresh token; fix the node clock.',
  },
  'STS-IDP-REJECTED': {
    title: 'The identity provider rejected the claim',
    cause: 'IDPRejectedClaim (HTTP 403): the identity provider rejected the token claims.',
    confirm: 'Decode the token claims (token-claims check) and compare with the provider configuration.',
    fix: 'Mint the token for the audience and subject the provider expects (ServiceAccount annotation eks.amazonaws.com/audience).',
  },
  'STS-UNREACHABLE': {
    title: 'STS did not answer',
    cause:
      'No answer from the STS endpoint: DNS failure, connection refused, TLS failure or timeout; or something else answered in its place (details.network bad-gateway: an HTML 502/503 page or a body that is not STS XML, from a proxy or gateway). Usually an egress NetworkPolicy or security group, a missing VPC endpoint in a private cluster (com.amazonaws.REGION.sts with private DNS), a proxy without NO_PROXY for sts.REGION.amazonaws.com, or a wrong AWS_ENDPOINT_URL_STS.',
    confirm:
      "getent hosts sts.REGION.amazonaws.com; curl -sv https://sts.REGION.amazonaws.com/ -d 'Action=GetCallerIdentity&Version=2011-06-15' (STS answers with XML, a proxy with its own page); env | grep -i _proxy; kubectl get networkpolicy -n NS",
    fix: 'Allow egress TCP 443 to STS (NetworkPolicy/security group), create the STS interface VPC endpoint with private DNS in private clusters, add the STS host to NO_PROXY when an HTTPS_PROXY is set, or unset/correct AWS_ENDPOINT_URL_STS so it names the regional endpoint https://sts.REGION.amazonaws.com.',
  },
  'STS-ERROR': {
    title: 'STS answered with another error',
    cause:
      'An STS error this tool has no specific diagnosis for; the finding carries the raw code, HTTP status and message.',
    confirm: 'Retry with the AWS CLI: aws sts assume-role-with-web-identity ... --debug',
    fix: 'Act on the raw STS error in the finding.',
  },
};
