import type { CodeCatalog } from './code-info.js';

const ACCOUNT_API =
  'curl --aws-sigv4 "aws:amz:REGION:es" ... https://ENDPOINT/_plugins/_security/api/account';

export const OPENSEARCH_CODES: CodeCatalog = {
  'OS-NO-TARGET': {
    title: 'No OpenSearch endpoint to test',
    cause:
      'Neither --opensearch nor IRSA_DOCTOR_OPENSEARCH was given, so the OpenSearch check had nothing to do.',
    confirm: 'Look at the agent flags or the IRSA_DOCTOR_OPENSEARCH variable of the Job.',
    fix: 'None, or pass --opensearch https://ENDPOINT (the host the application uses, e.g. the Helm value global.opensearch.url.host).',
  },
  'OS-TARGET-INVALID': {
    title: 'The OpenSearch endpoint is not a usable URL',
    cause: 'A typo, a scheme other than https/http, or user:password embedded in the URL.',
    confirm:
      'Compare the --opensearch value with the domain endpoint: aws opensearch describe-domain --domain-name DOMAIN --query DomainStatus.Endpoints.',
    fix: 'Pass the endpoint as https://HOST[:PORT] (Amazon OpenSearch Service listens on 443).',
  },
  'OS-REGION-UNKNOWN': {
    title: 'No region to sign OpenSearch requests for',
    cause:
      'The endpoint is a custom host name (not *.es.amazonaws.com / *.aoss.amazonaws.com) and neither --region nor AWS_REGION is set.',
    confirm: 'echo $AWS_REGION in the pod; the IRSA webhook sets AWS_REGION and AWS_DEFAULT_REGION.',
    fix: "Pass --region REGION (the domain's region), and set AWS_REGION in the application pods.",
  },
  'OS-REGION-MISMATCH': {
    title: "The pod's region differs from the endpoint's region",
    cause:
      'AWS_REGION / --region names another region than the endpoint host name. Clients that sign with AWS_REGION get "Credential should be scoped to a valid region".',
    confirm: 'Compare echo $AWS_REGION in the pod with the region in the endpoint host name.',
    fix: "Set the application's OpenSearch region (or AWS_REGION) to the endpoint's region.",
  },
  'OS-NO-CREDENTIALS': {
    title: 'No AWS credentials to sign OpenSearch requests with',
    cause:
      'The default credential chain found nothing: IRSA not injected or failing, no Pod Identity, IMDS blocked.',
    confirm: 'Run irsa-doctor check without --only and read the identity and chain findings.',
    fix: 'Fix the credential chain first (the CHAIN-*, STS-* and ENV-* findings say how).',
  },
  'OS-OK': {
    title: 'OpenSearch answered a signed request',
    cause: "The endpoint is reachable and the pod's identity may read it.",
    confirm: 'None.',
    fix: 'None.',
  },
  'OS-FGAC-USER': {
    title: 'The user fine-grained access control sees',
    cause:
      "The security plugin's account API names the user, its backend roles and the OpenSearch roles it is mapped to.",
    confirm: ACCOUNT_API,
    fix: 'None.',
  },
  'OS-ACCESS-POLICY': {
    title: 'The domain access policy does not allow the role',
    cause:
      'OpenSearch answered "... is not authorized to perform: es:ESHttp... because no resource-based policy allows ..." (or an explicit deny in a resource-based policy): the domain access policy names other principals or IP ranges only.',
    confirm:
      'aws opensearch describe-domain-config --domain-name DOMAIN --query DomainConfig.AccessPolicies.Options',
    fix: 'Add a statement {"Effect":"Allow","Principal":{"AWS":"ROLE_ARN"},"Action":"es:ESHttp*","Resource":"arn:aws:es:REGION:ACCOUNT:domain/DOMAIN/*"} and apply it with aws opensearch update-domain-config --domain-name DOMAIN --access-policies file://policy.json.',
  },
  'OS-IDENTITY-POLICY': {
    title: 'The role has no policy allowing es:ESHttp*',
    cause:
      'OpenSearch answered "... because no identity-based policy allows ..." (or an explicit deny in an identity-based policy): the IRSA role lacks es:ESHttpGet/Put/Post/Delete/Head on the domain, or the policy names another domain or region.',
    confirm:
      'aws iam list-attached-role-policies --role-name ROLE; aws iam list-role-policies --role-name ROLE; aws iam simulate-principal-policy --policy-source-arn ROLE_ARN --action-names es:ESHttpGet --resource-arns arn:aws:es:REGION:ACCOUNT:domain/DOMAIN/*',
    fix: 'Attach a policy allowing es:ESHttp* on arn:aws:es:REGION:ACCOUNT:domain/DOMAIN/* to the role (aws iam put-role-policy ...).',
  },
  'OS-FGAC-UNMAPPED': {
    title: 'Fine-grained access control does not map the role',
    cause:
      'The security plugin answered security_exception "no permissions for [...] and User [name=ROLE_ARN, backend_roles=[ROLE_ARN]]": IAM let the request in, but no role mapping names the role ARN (often the session ARN or the role name was mapped instead).',
    confirm: `${ACCOUNT_API} (roles is empty); GET _plugins/_security/api/rolesmapping/all_access as the master user.`,
    fix: 'As the master user: PATCH _plugins/_security/api/rolesmapping/all_access with [{"op":"add","path":"/backend_roles/-","value":"arn:aws:iam::ACCOUNT:role/NAME"}] (or the Terraform opensearch_roles_mapping resource).',
  },
  'OS-ANONYMOUS': {
    title: 'The request reached OpenSearch unsigned',
    cause:
      'OpenSearch saw "User: anonymous" (or FGAC asked for Basic auth): a proxy or sidecar stripped the Authorization header, or the request went to a different host than it was signed for.',
    confirm:
      'Send the request directly to the domain endpoint, not through a proxy; check HTTPS_PROXY / NO_PROXY in the pod.',
    fix: 'Sign every request with SigV4 and add the domain host to NO_PROXY, or have the proxy pass Authorization, X-Amz-Date and X-Amz-Security-Token through unchanged.',
  },
  'OS-SIGNATURE': {
    title: 'The SigV4 signature was made for the wrong service or region',
    cause:
      '"Credential should be scoped to correct service" / "to a valid region" / "The request signature we calculated does not match": signing for es against a Serverless collection (aoss) or the reverse, signing for another region, or a host rewritten between signing and sending.',
    confirm:
      'Compare the service (es for domains, aoss for Serverless) and the region in the endpoint host name with the client settings.',
    fix: "Sign for the service and region the host name implies (--opensearch-service es|aoss; the application's OpenSearch AWS region).",
  },
  'OS-INVALID-TOKEN': {
    title: 'OpenSearch rejected the credentials themselves',
    cause:
      '"The security token included in the request is invalid": session credentials from the global STS endpoint used in an opt-in region, deleted access keys, or credentials of another partition. "... is expired": stale cached credentials or a skewed clock.',
    confirm: 'aws sts get-caller-identity with the same credentials; date -u in the pod.',
    fix: 'Use regional STS (AWS_STS_REGIONAL_ENDPOINTS=regional, the IRSA webhook default) and fresh credentials from the IRSA chain; fix the node clock.',
  },
  'OS-AOSS-FORBIDDEN': {
    title: 'OpenSearch Serverless refused the request',
    cause:
      'Serverless answers every denial with the same 403 Forbidden: no data access policy names the role, the role lacks aoss:APIAccessAll, or the request was signed for es or another region.',
    confirm:
      'aws opensearchserverless list-access-policies --type data; aws opensearchserverless get-access-policy --type data --name NAME',
    fix: "Add the role ARN to a data access policy of the collection and allow aoss:APIAccessAll on the collection in the role's policy; sign for service aoss.",
  },
  'OS-NODE-ROLE': {
    title: "OpenSearch saw the node role, not the pod's role",
    cause:
      'The credential chain fell back to the instance metadata service (IMDS), so the request was signed as the EC2 node role: IRSA is not injected or not working and IMDS answers pods (hop limit 2, IMDSv1 allowed).',
    confirm:
      'The principal is arn:aws:sts::ACCOUNT:assumed-role/NODE_ROLE/i-...; the CHAIN-IMDS-FALLBACK finding of the same report; kubectl get pod POD -o yaml | grep AWS_ROLE_ARN.',
    fix: 'Fix IRSA for the ServiceAccount (the identity findings say what is missing), then block pod access to IMDS: http_put_response_hop_limit = 1 on the node group launch template.',
  },
  'OS-HTTP-ERROR': {
    title: 'OpenSearch answered with an unexpected HTTP status',
    cause:
      'A status the agent does not map to an IAM cause (5xx, a proxy error page, a 404 from a wrong base path).',
    confirm: 'Repeat the request with curl --aws-sigv4 "aws:amz:REGION:es" and read the body.',
    fix: 'Act on the status and body text in the finding; make sure the URL is the domain endpoint without a path.',
  },
};
