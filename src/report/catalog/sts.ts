import { defineCodes } from './define.js';

const TRUST_CONFIRM =
  "aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument; aws eks describe-cluster --name {{cluster}} --query cluster.identity.oidc.issuer --output text; kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.serviceAccountName}'";
const REDIRECTED = '{{endpointSource}}={{endpoint}} redirects STS: unset it or correct it.';

export const STS_CODES = defineCodes({
  'STS-OK': {
    check: ['sts', 'audit-assume'],
    status: 'pass',
    title: 'STS exchanged the token for role credentials',
    cause: 'AssumeRoleWithWebIdentity with the pod token and AWS_ROLE_ARN succeeded.',
    confirm:
      'aws sts assume-role-with-web-identity --role-arn "$AWS_ROLE_ARN" --role-session-name test --web-identity-token "$(cat $AWS_WEB_IDENTITY_TOKEN_FILE)" --query AssumedRoleUser.Arn',
  },
  'STS-SKIPPED': {
    check: 'sts',
    status: 'skip',
    title: 'No web identity token to exchange',
    cause:
      'AWS_WEB_IDENTITY_TOKEN_FILE or AWS_ROLE_ARN is unset, or the token file cannot be read or is not a JWT; the env and token checks say which.',
    confirm: 'env | grep -E "AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE"; ls -l "$AWS_WEB_IDENTITY_TOKEN_FILE"',
  },
  'STS-NO-OIDC-PROVIDER': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'No IAM OIDC provider for the token issuer',
    cause:
      'InvalidIdentityToken "No OpenIDConnect provider found in your account for ISSUER": the role\'s account has no IAM OIDC provider whose URL equals the token\'s iss (never created, deleted with a cluster, created in another account, or the cluster was recreated with a new issuer ID). Also seen when STS is called in the wrong region or partition (AWS_REGION / AWS_ENDPOINT_URL_STS pointing at another partition).',
    confirm:
      'aws eks describe-cluster --name {{cluster}} --query cluster.identity.oidc.issuer --output text; aws iam list-open-id-connect-providers | grep {{issuerId}} (in the account of AWS_ROLE_ARN)',
    fix: {
      httpIssuer:
        "Set the API server's --service-account-issuer to the https URL that serves the discovery document and keys (EKS: https://oidc.eks.REGION.amazonaws.com/id/ID), restart the pods so their tokens carry it, and create the provider for it: `aws iam create-open-id-connect-provider --url https://{{issuerHost}} --client-id-list {{audience|sts.amazonaws.com}}`.",
      trailingSlash:
        "The token's iss {{issuer}} ends with a slash: STS needs a provider whose URL matches it exactly; prefer setting the API server's --service-account-issuer without the trailing slash (then restart the pods), else create the provider for it.",
      missing:
        "Create the provider in the role's account {{account}}: `eksctl utils associate-iam-oidc-provider --cluster {{cluster}} --approve`, or `aws iam create-open-id-connect-provider --url {{issuer}} --client-id-list {{audience|sts.amazonaws.com}}`. Confirm with `aws iam list-open-id-connect-providers | grep {{issuerId}}` (expect {{providerArn}}). If it already exists, STS was called in the wrong region or partition: this call went to {{endpoint}} (region {{region}}, {{regionSource}}); set AWS_REGION to the cluster's region and use the {{partition}} partition's STS endpoint.",
    },
  },
  'STS-AUDIENCE': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'Token audience not in the OIDC provider',
    cause:
      "InvalidIdentityToken \"Incorrect token audience\": none of the token's aud values is in the IAM OIDC provider's ClientIDList. The provider was created without sts.amazonaws.com, or the ServiceAccount annotation eks.amazonaws.com/audience changed the projected token's audience.",
    confirm:
      "aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ClientIDList; kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'",
    fix: {
      addClientId:
        "Add the token's audience as a client ID of the provider: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --client-id {{audience|sts.amazonaws.com}}` (check with `aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ClientIDList`).",
      customAudience:
        'If {{audience}} is not intended, remove the eks.amazonaws.com/audience annotation from the ServiceAccount instead (the token then carries sts.amazonaws.com) and restart the pod.',
    },
  },
  'STS-THUMBPRINT': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: "Issuer certificate doesn't match the provider thumbprint",
    cause:
      'InvalidIdentityToken "OpenIDConnect provider\'s HTTPS certificate doesn\'t match configured thumbprint": the provider was created (CLI/API) with the thumbprint of a non-root or since-rotated certificate. AWS trusts its own root store first and uses the thumbprint only as fallback; sources disagree whether the top intermediate or the root is wanted.',
    confirm:
      'aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ThumbprintList',
    fix: 'Set the root CA thumbprint: `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn {{providerArn}} --thumbprint-list ROOT_CA_SHA1` (ROOT_CA_SHA1: the SHA-1 fingerprint of the root CA, lowercase hex without colons; get it with `echo | openssl s_client -servername {{sni}} -showcerts -connect {{connect}} 2>/dev/null | awk \'/BEGIN CERT/{c=""} {c=c $0 "\\n"} /END CERT/{l=c} END{printf "%s", l}\' | openssl x509 -fingerprint -sha1 -noout`). Compare with `aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ThumbprintList`.',
  },
  'STS-JWKS-UNREACHABLE': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: "STS couldn't get the issuer's signing keys",
    cause:
      'IDPCommunicationError, or InvalidIdentityToken "Couldn\'t retrieve verification key from your identity provider": STS could not fetch ISSUER/.well-known/openid-configuration and its jwks_uri over public HTTPS (self-managed issuer down, private, or throttling), or the token\'s kid is not in the published JWKS (token from another cluster with a reused issuer URL, keys rotated away).',
    confirm:
      'curl -s {{issuer}}/.well-known/openid-configuration; curl -s {{issuer}}/keys | jq ".keys[].kid"; compare with the token header kid',
    fix: "Make {{issuer}}/.well-known/openid-configuration and its jwks_uri publicly reachable over HTTPS with a publicly trusted certificate (`curl -s {{issuer}}/.well-known/openid-configuration`), and make sure the JWKS publishes the key (kid) that signs this cluster's ServiceAccount tokens. EKS-managed issuers serve this themselves: if this is EKS, retry (EKS throttles the endpoint) and check that the token was projected by this cluster.",
  },
  'STS-TRUST-POLICY': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'Role trust policy does not admit this token',
    cause:
      'AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity": the role trust policy lacks a statement with Principal Federated = this cluster\'s OIDC provider ARN, or its :sub condition names another namespace/ServiceAccount (or a typo), or its :aud condition is not sts.amazonaws.com, or the provider ARN is for another cluster/account; less often an SCP or the role does not exist.',
    confirm: TRUST_CONFIRM,
    fix: 'Give role {{roleName}} a trust policy that admits this token (check the current one with `aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument`; the :sub must be exactly {{subject|system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT}}), e.g. `aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json` with trust.json:\n```json\n{{trustPolicy}}\n```\nIf the statement is already there, the provider ARN {{providerArn}} must exist (`aws iam list-open-id-connect-providers`) and no SCP may deny sts:AssumeRoleWithWebIdentity.',
  },
  'STS-INVALID-ARN': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS rejected the role ARN',
    cause:
      'ValidationError "Request ARN is invalid": the ServiceAccount annotation eks.amazonaws.com/role-arn is malformed (extra colon, short account ID, whitespace, user ARN); the webhook injects it anyway.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: 'Correct the ServiceAccount annotation: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn={{suggestion}} --overwrite` (exactly arn:PARTITION:iam::ACCOUNT:role/NAME, 5 colons, 12-digit account), then `kubectl rollout restart {{workload|deployment/NAME}} -n {{namespace}}`. The role-arn check names what is wrong with it.',
  },
  'STS-TOKEN-EXPIRED': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS says the token expired',
    cause:
      'ExpiredTokenException "Token expired: current date/time ... must be before the expiration date/time ...": the kubelet stopped refreshing the projected token (pod or node problem), the application cached an old token instead of re-reading the file, or the node clock is skewed.',
    confirm:
      'date -u; decode the token exp claim (the token-claims check prints it); ls -l --time-style=full-iso "$AWS_WEB_IDENTITY_TOKEN_FILE"',
    fix: 'Restart the pod (`kubectl delete pod {{pod}} -n {{namespace}}`) so the kubelet projects a fresh token; if it recurs, check the node clock (chrony/NTP) and that the kubelet refreshes projected tokens, and make the application re-read the token file instead of caching it (current AWS SDKs do).',
  },
  'STS-REGION-DISABLED': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS is not activated in the region',
    cause:
      'RegionDisabledException: the account has STS deactivated in the region the pod calls (AWS_REGION with regional endpoints), typically an opt-in region or one disabled under IAM account settings.',
    confirm:
      'aws iam get-account-summary; IAM console > Account settings > Security Token Service (STS) endpoints',
    fix: 'Activate STS in {{region}}: IAM console > Account settings > Security Token Service (STS) > Endpoints > {{region}} > Activate (an account administrator), or set AWS_REGION to a region where STS is active.',
  },
  'STS-INVALID-TOKEN': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS rejected the token itself',
    cause:
      "InvalidIdentityToken with another message: the signature does not verify against the issuer's JWKS, the token is not a valid signed JWT, or it is not yet valid (nbf in the future, clock skew).",
    confirm: 'Compare the token header kid with {{issuer}}/keys; date -u on the node',
    fix: 'Use the token the kubelet projects for this pod (AWS_WEB_IDENTITY_TOKEN_FILE), never a copied one; check that its kid is in {{issuer}}/keys (`curl -s {{issuer}}/keys`) and that the node clock is right; restart the pod for a fresh token.',
  },
  'STS-IDP-REJECTED': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'The identity provider rejected the claim',
    cause: 'IDPRejectedClaim (HTTP 403): the identity provider rejected the token claims.',
    confirm: 'Decode the token claims (token-claims check) and compare with the provider configuration.',
    fix: 'Mint the token with the audience sts.amazonaws.com (remove the eks.amazonaws.com/audience annotation) and check the claims the token-claims check prints against the provider configuration (`aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}}`).',
  },
  'STS-UNREACHABLE': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS did not answer',
    cause:
      'No answer from the STS endpoint: DNS failure, connection refused, TLS failure or timeout; or something else answered in its place (details.network bad-gateway: an HTML 502/503 page, a body that is not STS XML or one far larger than any STS answer, from a proxy or gateway; not-http: bytes that are not HTTP at all, another service on that port). Usually an egress NetworkPolicy or security group, a missing VPC endpoint in a private cluster (com.amazonaws.REGION.sts with private DNS), a proxy without NO_PROXY for sts.REGION.amazonaws.com, or a wrong AWS_ENDPOINT_URL_STS.',
    confirm:
      "getent hosts sts.{{region}}.amazonaws.com; curl -sv https://sts.{{region}}.amazonaws.com/ -d 'Action=GetCallerIdentity&Version=2011-06-15' (STS answers with XML, a proxy with its own page); env | grep -i _proxy; kubectl get networkpolicy -n {{namespace}}",
    fix: {
      badGateway: 'Something answered at {{host}}:{{port}} that is not STS.',
      notHttp:
        'Something at {{host}}:{{port}} answers in another protocol than HTTP: check the port and the scheme ({{endpoint}}: a TLS port needs https://), and what listens there.',
      proxyInPod:
        '{{proxyVar}} is set in this pod: add {{host}} (or .amazonaws.com) to NO_PROXY/no_proxy, or fix the proxy so it forwards to STS (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} NO_PROXY={{host}},...`).',
      proxyElsewhere:
        'An HTTP(S) proxy or gateway the application uses (HTTPS_PROXY) or a transparent one in the network path answers instead of STS: add {{host}} to NO_PROXY/no_proxy or route {{host}} around it.',
      endpointIsNotSts:
        '{{endpointSource}}={{endpoint}} points at something that is not STS: unset it, or set it to the regional endpoint https://sts.{{region}}.amazonaws.com (or the STS interface VPC endpoint).',
      regionalEndpoint:
        'STS was called at the regional endpoint {{endpoint}}; if a VPC endpoint should serve it, check its private DNS.',
      confirmWithCurl:
        "Confirm with `curl -sv {{endpoint}}/ -d 'Action=GetCallerIdentity&Version=2011-06-15'` (STS answers with XML, a proxy with its own page).",
      dns: 'Make {{host}} resolve from the pod (`getent hosts {{host}}`): in a private cluster create the STS interface VPC endpoint com.amazonaws.{{region}}.sts with private DNS enabled; check CoreDNS.',
      refused:
        "Nothing accepts connections at {{host}}:{{port}}: check the STS VPC endpoint's security group allows TCP {{port}} from the nodes/pods, and any egress proxy.",
      tls: 'Repair TLS to {{host}}: a TLS-intercepting proxy needs its CA in the container trust store (NODE_EXTRA_CA_CERTS for Node.js), or add {{host}} to NO_PROXY.',
      other:
        'Allow egress to {{host}}:{{port}} from this pod: an egress NetworkPolicy (`kubectl get networkpolicy -n {{namespace}}`), the node/VPC endpoint security group, or an HTTP(S)_PROXY without {{host}} in NO_PROXY drops it; in a private cluster create the STS interface VPC endpoint com.amazonaws.{{region}}.sts with private DNS.',
      redirected: REDIRECTED,
    },
  },
  'STS-ENDPOINT-INVALID': {
    check: 'sts',
    status: 'fail',
    title: 'The STS endpoint setting is not an http(s) URL',
    cause:
      'AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL, which applies to every service) holds something that is not an http:// or https:// URL with a host: a bare host name without a scheme, a typo, a file: URL. The SDK cannot call STS with it, so STS was never contacted; applications in the pod fail the same way.',
    confirm:
      'env | grep AWS_ENDPOINT_URL; kubectl get pod {{pod|POD}} -n {{namespace|NAMESPACE}} -o yaml | grep -A1 AWS_ENDPOINT_URL',
    fix: '{{envVar}} {{problem}}: remove it from the pod spec (the SDK then calls the regional endpoint https://sts.{{region}}.amazonaws.com), or set it to a full URL such as https://sts.{{region}}.amazonaws.com or the https URL of your STS interface VPC endpoint; then restart the pod.',
  },
  'STS-CREDENTIALS-INVALID': {
    check: 'sts',
    status: 'fail',
    title: 'STS answered with credentials no STS issues',
    cause:
      "The answer to AssumeRoleWithWebIdentity parsed as a success, but its credentials are expired, incomplete or malformed. STS always issues an access key id, a secret, a session token and an expiry at least 15 minutes ahead, so something else answered in STS's place (an endpoint setting pointing at a stub, a proxy replaying an old answer), or this pod's clock is far ahead.",
    confirm:
      'date -u; env | grep -E \'AWS_ENDPOINT_URL|_PROXY\'; aws sts assume-role-with-web-identity --role-arn "$AWS_ROLE_ARN" --role-session-name test --web-identity-token "$(cat $AWS_WEB_IDENTITY_TOKEN_FILE)" --query Credentials.Expiration',
    fix: {
      redirected:
        '{{endpointSource}}={{endpoint}} does not lead to STS: remove it from the pod spec, or point it at https://sts.{{region}}.amazonaws.com (or your STS interface VPC endpoint); then restart the pod.',
      regional:
        "Check the pod clock against a time server (`date -u`; on the node chrony/NTP, Amazon Time Sync 169.254.169.123) and any HTTPS proxy in front of {{endpoint}} that answers in STS's place (HTTPS_PROXY without sts.{{region}}.amazonaws.com in NO_PROXY).",
    },
  },
  'STS-ERROR': {
    check: ['sts', 'audit-assume'],
    status: 'fail',
    title: 'STS answered with another error',
    cause:
      'An STS error this tool has no specific diagnosis for; the finding carries the raw code, HTTP status and message.',
    confirm: 'Retry with the AWS CLI: aws sts assume-role-with-web-identity ... --debug',
    fix: 'Act on the STS error: {{said}}. Reproduce with `aws sts assume-role-with-web-identity --role-arn {{roleArn}} --role-session-name test --web-identity-token "$(cat $AWS_WEB_IDENTITY_TOKEN_FILE)" --region {{region}} --debug`.',
  },
});
