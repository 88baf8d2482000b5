import { defineCodes } from './define.js';

const ACCOUNT_API =
  'curl --aws-sigv4 "aws:amz:{{region}}:es" ... {{url|https://ENDPOINT}}/_plugins/_security/api/account';
const NODE_ROLE_NOTE =
  "The request was signed as the EC2 node role (see OS-NODE-ROLE): do not grant the node role; fix IRSA, then grant the pod's role.";
const MERGE_POLICY =
  'The policy is replaced as a whole, so merge it into the current one (`aws opensearch describe-domain-config --domain-name {{domainName}} --region {{region}} --query DomainConfig.AccessPolicies.Options`), then `aws opensearch update-domain-config --domain-name {{domainName}} --region {{region}} --access-policies file://access-policy.json` (Terraform: aws_opensearch_domain_policy / access_policies).';
const ALSO_ROLE_POLICY = "the role's own policy must also allow es:ESHttp* on {{domainArn}}/*.";

export const OPENSEARCH_CODES = defineCodes({
  'OS-NO-TARGET': {
    check: 'opensearch',
    status: 'skip',
    title: 'No OpenSearch endpoint to test',
    cause:
      'Neither --opensearch nor IRSA_DOCTOR_OPENSEARCH was given, so the OpenSearch check had nothing to do.',
    confirm: 'Look at the agent flags or the IRSA_DOCTOR_OPENSEARCH variable of the Job.',
  },
  'OS-TARGET-INVALID': {
    check: 'opensearch',
    status: 'fail',
    title: 'The OpenSearch endpoint is not a usable URL',
    cause: 'A typo, a scheme other than https/http, or user:password embedded in the URL.',
    confirm:
      'Compare the --opensearch value with the domain endpoint: aws opensearch describe-domain --domain-name {{domainName}} --query DomainStatus.Endpoints.',
    fix: 'Pass the endpoint as https://HOST[:PORT], e.g. https://search-DOMAIN-ID.REGION.es.amazonaws.com.',
  },
  'OS-REGION-UNKNOWN': {
    check: 'opensearch',
    status: 'fail',
    title: 'No region to sign OpenSearch requests for',
    cause:
      'The endpoint is a custom host name (not *.es.amazonaws.com / *.aoss.amazonaws.com) and neither --region nor AWS_REGION is set.',
    confirm: 'echo $AWS_REGION in the pod; the IRSA webhook sets AWS_REGION and AWS_DEFAULT_REGION.',
    fix: "Pass --region with the domain's region, and set AWS_REGION in the application pods.",
  },
  'OS-REGION-MISMATCH': {
    check: 'opensearch',
    status: 'warn',
    title: "The pod's region differs from the endpoint's region",
    cause:
      'AWS_REGION / --region names another region than the endpoint host name. Clients that sign with AWS_REGION get "Credential should be scoped to a valid region".',
    confirm: 'Compare echo $AWS_REGION in the pod with the region in the endpoint host name.',
    fix: "Set the application's OpenSearch region to {{endpointRegion}} (or AWS_REGION={{endpointRegion}} if it signs with the pod region).",
  },
  'OS-NO-CREDENTIALS': {
    check: 'opensearch',
    status: 'fail',
    title: 'No AWS credentials to sign OpenSearch requests with',
    cause:
      'The default credential chain found nothing: IRSA not injected or failing, no Pod Identity, IMDS blocked.',
    confirm: 'Run irsa-doctor check without --only and read the identity and chain findings.',
    fix: 'Repair the credential chain first: run `irsa-doctor check` (without --only) and follow the identity (ENV-*, TOKEN-*, STS-*) and CHAIN-* findings.',
  },
  'OS-OK': {
    check: 'opensearch',
    status: 'pass',
    title: 'OpenSearch answered a signed request',
    cause:
      "The endpoint is reachable and the pod's identity may read it: a managed domain answered GET / with its name and version, or a Serverless collection answered GET _cat/indices.",
    confirm: 'details.distribution, details.version, details.clusterName.',
  },
  'OS-NOT-OPENSEARCH': {
    check: 'opensearch',
    status: 'fail',
    title: 'Something other than OpenSearch answered',
    cause:
      "The endpoint answered the signed request, but not the way OpenSearch does: GET / on a domain returns a JSON object with version.number (OpenSearch and Elasticsearch alike) and _cat/indices?format=json on a Serverless collection a JSON array, each a few KiB. An HTML page (a proxy's login or error page), plain text, or a body of megabytes comes from something in between: an HTTP(S) proxy, a load balancer or WAF, or a URL that points at another service.",
    confirm:
      'curl -s --aws-sigv4 "aws:amz:{{region}}:{{service|es}}" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" {{url|https://ENDPOINT}}/ | head -c 300',
    fix: 'Something other than OpenSearch answers at {{url}}: route {{host}} around HTTP proxies (add it to NO_PROXY), check any load balancer or WAF in front of it, and make sure the URL is the domain or collection endpoint itself (https://{{host}}, no path): `aws opensearch describe-domain --domain-name {{domainName|DOMAIN}} --query DomainStatus.Endpoints`.',
  },
  'OS-FGAC-USER': {
    check: 'opensearch',
    status: 'info',
    title: 'The user fine-grained access control sees',
    cause:
      "The security plugin's account API names the user, its backend roles and the OpenSearch roles it is mapped to.",
    confirm: ACCOUNT_API,
  },
  'OS-ACCESS-POLICY': {
    check: 'opensearch',
    status: 'fail',
    title: 'The domain access policy does not allow the role',
    cause:
      'OpenSearch answered "... is not authorized to perform: es:ESHttp... because no resource-based policy allows ..." (or an explicit deny in a resource-based policy): the domain access policy names other principals or IP ranges only.',
    confirm:
      'aws opensearch describe-domain-config --domain-name {{domainName}} --query DomainConfig.AccessPolicies.Options',
    fix: {
      nodeRole: NODE_ROLE_NOTE,
      allow: `Add this statement to the domain access policy of "{{domainName}}": \`{{statement}}\`. ${MERGE_POLICY}`,
      deny: `Remove or narrow the Deny statement in the domain access policy that matches this role, and make sure a statement allows it: \`{{statement}}\`. ${MERGE_POLICY}`,
    },
  },
  'OS-IDENTITY-POLICY': {
    check: 'opensearch',
    status: 'fail',
    title: 'The role has no policy allowing es:ESHttp*',
    cause:
      'OpenSearch answered "... because no identity-based policy allows ..." (or an explicit deny in an identity-based policy): the IRSA role lacks es:ESHttpGet/Put/Post/Delete/Head on the domain, or the policy names another domain or region; or a permissions boundary, SCP, RCP, session policy or VPC endpoint policy on the caller\'s side blocks it (details.policyType).',
    confirm:
      'aws iam list-attached-role-policies --role-name {{roleName}}; aws iam list-role-policies --role-name {{roleName}}; aws iam simulate-principal-policy --policy-source-arn {{roleArn}} --action-names es:ESHttpGet --resource-arns {{domainArn}}/*',
    fix: {
      nodeRole: NODE_ROLE_NOTE,
      allow:
        "Role {{roleName}} has no policy allowing es:ESHttp* on this domain. Attach one: `aws iam put-role-policy --role-name {{roleName}} --policy-name opensearch-http --policy-document '{{policyDocument}}'` (Terraform: aws_iam_policy with these actions, attached to the IRSA role).",
      deny: "Remove the Deny on es:ESHttp* from the policies attached to role {{roleName}} (or its permissions boundary / an SCP), and make sure it is allowed. `aws iam put-role-policy --role-name {{roleName}} --policy-name opensearch-http --policy-document '{{policyDocument}}'` (Terraform: aws_iam_policy with these actions, attached to the IRSA role).",
      boundary: `A permissions boundary on the caller's side blocks {{action}}: add es:ESHttp* to the permissions boundary attached to the role (\`aws iam get-role --role-name {{roleName}} --query Role.PermissionsBoundary\`); ${ALSO_ROLE_POLICY}`,
      scp: `A service control policy on the caller's side blocks {{action}}: an AWS Organizations SCP on the account denies or does not allow it; ask the organization admins to allow es:ESHttp* (\`aws organizations list-policies-for-target --target-id {{account}} --filter SERVICE_CONTROL_POLICY\`); ${ALSO_ROLE_POLICY}`,
      rcp: `A resource control policy blocks {{action}}: an AWS Organizations resource control policy restricts the domain; ask the organization admins to allow this principal; ${ALSO_ROLE_POLICY}`,
      session: `A session policy blocks {{action}}: the credentials were issued with a session policy that excludes it; request them without that policy; ${ALSO_ROLE_POLICY}`,
      vpcEndpoint: `A VPC endpoint policy blocks {{action}}: the VPC endpoint policy in the path does not allow it; add the role and es:ESHttp* to that endpoint policy; ${ALSO_ROLE_POLICY}`,
      otherPolicy: `A {{policyType}} on the caller's side blocks {{action}}: allow the action there; ${ALSO_ROLE_POLICY}`,
    },
  },
  'OS-FGAC-UNMAPPED': {
    check: 'opensearch',
    status: 'fail',
    title: 'Fine-grained access control does not map the role',
    cause:
      'The security plugin answered security_exception "no permissions for [...] and User [name=ROLE_ARN, backend_roles=[ROLE_ARN]]": IAM let the request in, but no role mapping names the role ARN (often the session ARN or the role name was mapped instead).',
    confirm: `${ACCOUNT_API} (roles is empty); GET _plugins/_security/api/rolesmapping/all_access as the master user.`,
    fix: {
      nodeRole: NODE_ROLE_NOTE,
      widen:
        'Grant {{action|the action}} to one of [{{fgacRoles}}] (PUT _plugins/_security/api/roles/NAME with the cluster/index permissions), or map the role to a broader OpenSearch role.',
      map: 'Map the IAM role ARN {{roleArn}} as a backend role of an OpenSearch role (all_access, or a narrower role the application needs), as the master user: `curl -sS -u MASTER_USER:MASTER_PASSWORD -X PATCH "{{url}}/_plugins/_security/api/rolesmapping/all_access" -H \'Content-Type: application/json\' -d \'[{"op":"add","path":"/backend_roles/-","value":"{{roleArn}}"}]\'` (a role with no mapping yet: PUT the same URL with `{"backend_roles":["{{roleArn}}"]}`; older domains use _opendistro/_security instead of _plugins/_security; note that PATCH "path":"/backend_roles" replaces the existing list). Terraform (opensearch provider): `resource "opensearch_roles_mapping" { role_name = "all_access", backend_roles = ["{{roleArn}}"] }`. Dashboards: Security > Roles > all_access > Mapped users > Manage mapping > Backend roles. Map the role ARN, never the arn:aws:sts::...:assumed-role/... session ARN.',
    },
  },
  'OS-ANONYMOUS': {
    check: 'opensearch',
    status: 'fail',
    title: 'The request reached OpenSearch unsigned',
    cause:
      'OpenSearch saw "User: anonymous" (or FGAC asked for Basic auth): a proxy or sidecar stripped the Authorization header, or the request went to a different host than it was signed for.',
    confirm:
      'Send the request directly to the domain endpoint, not through a proxy; check HTTPS_PROXY / NO_PROXY in the pod.',
    fix: 'Something between the pod and {{host}} drops or rewrites the Authorization header: route {{host}} around HTTP proxies (add it to NO_PROXY) or make the proxy forward Authorization, X-Amz-Date, X-Amz-Content-Sha256 and X-Amz-Security-Token unchanged. Applications must sign every request (Camunda: global.opensearch.aws.enabled=true).',
  },
  'OS-SIGNATURE': {
    check: 'opensearch',
    status: 'fail',
    title: 'The SigV4 signature was made for the wrong service or region',
    cause:
      '"Credential should be scoped to correct service" / "to a valid region" / "The request signature we calculated does not match": signing for es against a Serverless collection (aoss) or the reverse, signing for another region, or a host rewritten between signing and sending.',
    confirm:
      'Compare the service (es for domains, aoss for Serverless) and the region in the endpoint host name with the client settings.',
    fix: {
      service:
        'Sign for "{{expectedService}}" ({{serviceKind}}): --opensearch-service {{expectedService}}, and the same service name in the application.',
      region: "Sign for the endpoint's region: --region and the application's AWS region.",
      regionFromHost:
        "Sign for the endpoint's region ({{expectedRegion}}): --region and the application's AWS region.",
      other:
        'Make sure nothing rewrites the Host header or path between signing and sending (proxies, a custom endpoint in front of the domain: sign for the host the request reaches), and that the secret key belongs to the access key.',
      serverless:
        'Sign for service "aoss" for a Serverless collection: --opensearch-service aoss, and in the application use the aoss service name.',
    },
  },
  'OS-INVALID-TOKEN': {
    check: 'opensearch',
    status: 'fail',
    title: 'OpenSearch rejected the credentials themselves',
    cause:
      '"The security token included in the request is invalid": session credentials from the global STS endpoint used in an opt-in region, deleted access keys, or credentials of another partition. "... is expired": stale cached credentials or a skewed clock.',
    confirm: 'aws sts get-caller-identity with the same credentials; date -u in the pod.',
    fix: {
      expired:
        'The credentials were stale when used: check the pod clock (`date -u`) and that the application refreshes credentials from the default chain instead of caching keys.',
      invalid:
        'AWS does not accept these credentials in {{region}}: use regional STS (AWS_STS_REGIONAL_ENDPOINTS=regional) so session tokens are valid in opt-in regions, and remove static AWS_ACCESS_KEY_ID / ~/.aws credentials that shadow IRSA.',
    },
  },
  'OS-AOSS-FORBIDDEN': {
    check: 'opensearch',
    status: 'fail',
    title: 'OpenSearch Serverless refused the request',
    cause:
      'Serverless answers every denial with the same 403 Forbidden: no data access policy names the role, the role lacks aoss:APIAccessAll, or the request was signed for es or another region.',
    confirm:
      'aws opensearchserverless list-access-policies --type data; aws opensearchserverless get-access-policy --type data --name NAME',
    fix: {
      nodeRole: NODE_ROLE_NOTE,
      policies:
        "Serverless answers every denial with the same 403. Check both: (1) a data access policy of the collection names {{roleArn}} (name from `aws opensearchserverless batch-get-collection --ids {{collectionId}}`): `aws opensearchserverless create-access-policy --type data --name camunda-irsa --policy '{{dataPolicy}}'` (or update-access-policy on an existing one); (2) role {{roleName}} allows aoss:APIAccessAll: `aws iam put-role-policy --role-name {{roleName}} --policy-name aoss-api --policy-document '{{identityPolicy}}'`. Also make sure clients sign for service \"aoss\" (not \"es\") and the collection's region.",
    },
  },
  'OS-NODE-ROLE': {
    check: 'opensearch',
    status: 'fail',
    title: "OpenSearch saw the node role, not the pod's role",
    cause:
      'The credential chain fell back to the instance metadata service (IMDS), so the request was signed as the EC2 node role: IRSA is not injected or not working and IMDS answers pods (hop limit 2, IMDSv1 allowed).',
    confirm:
      'The principal is arn:aws:sts::ACCOUNT:assumed-role/NODE_ROLE/i-...; the CHAIN-IMDS-FALLBACK finding of the same report; kubectl get pod {{pod}} -o yaml | grep AWS_ROLE_ARN.',
    fix: "Every pod on the node that falls back to IMDS gets this identity, so do not grant it OpenSearch access. Fix IRSA for the ServiceAccount (annotate it with eks.amazonaws.com/role-arn={{roleArn|arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME}} and restart the pod; the identity and CHAIN-* findings say what is missing), then block IMDS for pods: http_put_response_hop_limit = 1 (and http_tokens = required) in the node group's launch template metadata options.",
  },
  'OS-HTTP-ERROR': {
    check: 'opensearch',
    status: 'fail',
    title: 'OpenSearch answered with an unexpected HTTP status',
    cause:
      'A status the agent does not map to an IAM cause (5xx, a proxy error page, a 404 from a wrong base path).',
    confirm: 'Repeat the request with curl --aws-sigv4 "aws:amz:{{region}}:es" and read the body.',
    fix: {
      notTheDomain:
        "Something other than the domain answered: route {{host}} around HTTP proxies (NO_PROXY) and check for a WAF or load balancer in front of it; a domain's own refusals name the policy or role that refused.",
      other:
        'Act on that answer; make sure the URL is the bare endpoint (https://{{host}}, no path) and that no proxy answers in its place.',
    },
  },
});
