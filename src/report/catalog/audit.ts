import { defineCodes } from './define.js';

// `irsa-doctor audit`: the AWS side of IRSA read from outside the pod with the operator's credentials.
const AUDIT_CHECKS = [
  'audit-serviceaccount',
  'audit-pods',
  'audit-cluster',
  'audit-trust',
  'audit-permissions',
  'audit-pod-identity',
  'audit-nodes',
  'audit-cloudtrail',
  'audit-assume',
] as const;
const RESTART = 'kubectl rollout restart {{workload|deployment/NAME}} -n {{namespace}}';

export const AUDIT_CODES = defineCodes({
  'AUDIT-AWS-DENIED': {
    check: AUDIT_CHECKS,
    status: 'skip',
    title: 'The operator may not read this part of the AWS side',
    cause:
      'AWS refused the read with AccessDenied: the operator credentials lack the action named in details.action, so this part was not checked (no verdict either way).',
    confirm:
      'aws sts get-caller-identity; aws iam simulate-principal-policy --policy-source-arn OPERATOR_ARN --action-names {{action}}',
    fix: 'Grant the operator the read-only audit policy (docs/audit.md), or at least {{action}}, and rerun.',
  },
  'AUDIT-AWS-UNREACHABLE': {
    check: AUDIT_CHECKS,
    status: 'fail',
    title: 'An AWS API did not answer',
    cause:
      'The API endpoint did not answer before the deadline or refused the connection: no route to the endpoint from this workstation (VPN, proxy, a VPC-only endpoint), a wrong AWS_ENDPOINT_URL_* setting, or the API is throttling hard. With details.proxy the call failed at the HTTPS_PROXY / HTTP_PROXY proxy instead (down, 407 without or with refused credentials, a refused CONNECT).',
    confirm: 'aws {{service}} help; env | grep -E "AWS_ENDPOINT_URL|_PROXY"',
    fix: 'Check that this workstation reaches the {{service}} API ({{action}}): unset or correct AWS_ENDPOINT_URL_* and proxy settings, or raise --timeout, then rerun.',
  },
  'AUDIT-AWS-CREDENTIALS': {
    check: AUDIT_CHECKS,
    status: 'fail',
    title: "The operator's AWS credentials are missing or refused",
    cause:
      'No credentials in the SDK chain (env, AWS_PROFILE, SSO, instance role), an expired SSO or session token, or keys AWS does not know (InvalidClientTokenId, ExpiredToken, SignatureDoesNotMatch).',
    confirm: 'aws sts get-caller-identity',
    fix: 'Log in (aws sso login --profile PROFILE, or export fresh credentials) so that aws sts get-caller-identity works, then rerun.',
  },
  'AUDIT-AWS-ERROR': {
    check: AUDIT_CHECKS,
    status: 'fail',
    title: 'An AWS API answered with an unexpected error',
    cause: 'An error the audit has no diagnosis for; details carry the action, code and message.',
    confirm: 'Repeat the call with the AWS CLI and --debug.',
    fix: 'Act on the error in the finding ({{action}}: {{said}}) and rerun.',
  },
  'AUDIT-KUBE-DENIED': {
    check: AUDIT_CHECKS,
    status: 'skip',
    title: 'The operator may not read this part of the cluster',
    cause:
      'The Kubernetes API answered Forbidden for a read the audit needs (details.read); that part was not checked.',
    confirm: 'kubectl auth can-i {{verb}} {{resource}} -n {{namespace}}',
    fix: 'Bind the audit ClusterRole in k8s/rbac.yaml to your user (it only reads), or run with a context that may {{verb}} {{resource}}.',
  },
  'AUDIT-KUBE-ERROR': {
    check: AUDIT_CHECKS,
    status: 'fail',
    title: 'The Kubernetes API could not be read',
    cause: 'The API server did not answer, or answered an error other than Forbidden or NotFound.',
    confirm: 'kubectl get --raw /version',
    fix: 'Check access to the cluster ({{server|the API server}}) with the same --context and rerun.',
  },

  'SA-OK': {
    check: 'audit-serviceaccount',
    status: 'pass',
    title: 'The ServiceAccount exists and names a well-formed role',
    cause:
      'The ServiceAccount carries eks.amazonaws.com/role-arn with a valid role ARN (or has a Pod Identity association).',
    confirm: "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'",
  },
  'SA-MISSING': {
    check: 'audit-serviceaccount',
    status: 'fail',
    title: 'The ServiceAccount does not exist',
    cause:
      'A typo, another namespace, a chart with serviceAccount.create=false, or it was deleted; pods that name it cannot be created.',
    confirm: 'kubectl get serviceaccounts -n {{namespace}}',
    fix: "Create it (kubectl create serviceaccount {{serviceAccount}} -n {{namespace}}) and annotate it with eks.amazonaws.com/role-arn, or audit the ServiceAccount the workload really uses (kubectl get deploy -n {{namespace}} -o jsonpath='{..serviceAccountName}').",
  },
  'SA-NOT-ANNOTATED': {
    check: 'audit-serviceaccount',
    status: 'fail',
    title: 'The ServiceAccount has no role: no annotation, no Pod Identity association',
    cause:
      'Neither eks.amazonaws.com/role-arn on the ServiceAccount nor an EKS Pod Identity association for it: its pods get no AWS identity of their own and fall back to the node role (or nothing).',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}",
    fix: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME (or aws eks create-pod-identity-association --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}} --role-arn ROLE_ARN), then ${RESTART}.`,
  },
  'SA-ANNOTATION-TYPO': {
    check: 'audit-serviceaccount',
    status: 'fail',
    title: 'The role annotation key is misspelt',
    cause:
      'The ServiceAccount carries an annotation whose key is a near miss of eks.amazonaws.com/role-arn (eks.amazon.com/role-arn, role_arn, rolearn, a wrong prefix): the webhook only reads the exact key, so nothing is injected.',
    confirm: "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'",
    fix: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} {{typo}}- eks.amazonaws.com/role-arn={{value}} --overwrite, then ${RESTART}.`,
  },
  'SA-ARN-INVALID': {
    check: 'audit-serviceaccount',
    status: 'fail',
    title: 'The role annotation is not a valid role ARN',
    cause:
      'Stray whitespace or quotes from YAML, an extra colon, an account ID that is not 12 digits, a user or assumed-role ARN instead of the role. The webhook injects it anyway and STS answers ValidationError.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn={{suggestion}} --overwrite (the exact ARN from aws iam get-role --role-name NAME --query Role.Arn), then ${RESTART}.`,
  },
  'SA-AUDIENCE': {
    check: 'audit-serviceaccount',
    status: 'info',
    title: 'The ServiceAccount asks for another token audience',
    cause:
      'eks.amazonaws.com/audience makes the webhook project tokens for that audience instead of sts.amazonaws.com; the IAM OIDC provider must list it as a client ID and the trust policy :aud must name it.',
    confirm: "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'",
  },

  'PODS-OK': {
    check: 'audit-pods',
    status: 'pass',
    title: 'The running pods carry the injected role',
    cause:
      "Every running pod of the ServiceAccount has AWS_ROLE_ARN (the annotation's role) and the projected token volume.",
    confirm:
      'kubectl get pods -n {{namespace}} -o jsonpath=\'{range .items[*]}{.metadata.name} {.spec.serviceAccountName}{"\\n"}{end}\'',
  },
  'PODS-NONE': {
    check: 'audit-pods',
    status: 'info',
    title: 'No pod runs as this ServiceAccount',
    cause: 'Nothing to compare: no pod of the namespace names this ServiceAccount right now.',
    confirm: "kubectl get pods -n {{namespace}} -o jsonpath='{..serviceAccountName}'",
  },
  'PODS-STALE-ROLE': {
    check: 'audit-pods',
    status: 'warn',
    title: 'Running pods still carry an older role',
    cause:
      'The webhook injects AWS_ROLE_ARN only when a pod is created: pods created before the annotation changed keep the old role until they are recreated.',
    confirm: "kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.containers[*].env}'",
    fix: `Recreate the pods so the webhook injects the current role: ${RESTART}.`,
  },
  'PODS-NOT-MUTATED': {
    check: 'audit-pods',
    status: 'fail',
    title: 'Pods of an annotated ServiceAccount run without IRSA',
    cause:
      'The pods lack AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE and the aws-iam-token volume although their ServiceAccount is annotated: they were created before the annotation, the container sets the variables itself, or the pod identity webhook missed them (failurePolicy Ignore). They run as the node role, or without credentials.',
    confirm:
      "kubectl get pod {{pod}} -n {{namespace}} -o yaml | grep -E 'AWS_ROLE_ARN|aws-iam-token'; kubectl get mutatingwebhookconfiguration pod-identity-webhook",
    fix: `${RESTART} so the webhook mutates new pods; if they stay unmutated, check the webhook (kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml) and that the containers do not set AWS_ROLE_ARN themselves.`,
  },

  'EKS-CLUSTER': {
    check: 'audit-cluster',
    status: 'pass',
    title: 'The EKS cluster and its OIDC issuer',
    cause: 'DescribeCluster named the cluster the kubeconfig points at, its version and its OIDC issuer.',
    confirm: 'aws eks describe-cluster --name {{cluster}} --query cluster.identity.oidc.issuer',
  },
  'EKS-CLUSTER-NOT-FOUND': {
    check: 'audit-cluster',
    status: 'fail',
    title: 'The EKS cluster was not found',
    cause:
      'No EKS cluster of that name in the region, or none whose endpoint is the kubeconfig server: another region or account, or not an EKS cluster at all.',
    confirm: 'aws eks list-clusters --region {{region}}; kubectl config view --minify',
    fix: 'Pass --cluster NAME and --region REGION of the cluster the kubeconfig points at (aws eks update-kubeconfig --name NAME --region REGION writes both into the kubeconfig), with credentials of its account.',
  },
  'IAM-OIDC-PROVIDER-OK': {
    check: 'audit-cluster',
    status: 'pass',
    title: "An IAM OIDC provider exists for the cluster's issuer",
    cause:
      "The role's account has an IAM OIDC provider whose URL is the cluster's issuer, with the token audience as a client ID.",
    confirm: 'aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}}',
  },
  'IAM-OIDC-PROVIDER-MISSING': {
    check: 'audit-cluster',
    status: 'fail',
    title: "No IAM OIDC provider for the cluster's issuer in the role's account",
    cause:
      "STS looks for a provider whose URL equals the token's iss in the account of the role: it was never created, was deleted, lives in another account, or belongs to the cluster before it was recreated (new issuer ID).",
    confirm: 'aws iam list-open-id-connect-providers | grep {{issuerId}}',
    fix: 'eksctl utils associate-iam-oidc-provider --cluster {{cluster}} --region {{region}} --approve, or aws iam create-open-id-connect-provider --url {{issuer}} --client-id-list {{audience|sts.amazonaws.com}} (in account {{account}}).',
  },
  'IAM-OIDC-PROVIDER-AUDIENCE': {
    check: 'audit-cluster',
    status: 'fail',
    title: "The OIDC provider does not list the pods' token audience",
    cause:
      "The provider's ClientIDList lacks the audience the pods' tokens carry (sts.amazonaws.com, or the eks.amazonaws.com/audience annotation's): STS answers \"Incorrect token audience\".",
    confirm:
      'aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ClientIDList',
    fix: 'aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --client-id {{audience|sts.amazonaws.com}}',
  },
  'IAM-OIDC-THUMBPRINT': {
    check: 'audit-cluster',
    status: 'info',
    title: "The provider's thumbprints do not match the issuer certificate",
    cause:
      "Information only: for EKS issuers IAM validates the issuer's certificate against its trusted CAs and uses the thumbprint list only for other CAs, so a stale thumbprint is not the cause of an IRSA failure.",
    confirm:
      'aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ThumbprintList',
  },

  'IAM-ROLE-MISSING': {
    check: 'audit-trust',
    status: 'fail',
    title: 'The annotated role does not exist',
    cause:
      'GetRole says NoSuchEntity: a typo in the role name or path, the role was deleted, or it lives in another account.',
    confirm: 'aws iam get-role --role-name {{roleName}}',
    fix: 'Create the role with a trust policy for this ServiceAccount (the statement below), or annotate the ServiceAccount with the ARN of the role that exists (aws iam list-roles --query "Roles[].Arn"): kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn=ROLE_ARN --overwrite. Trust statement:\n{{trustPolicy}}',
  },
  'IAM-ROLE-OTHER-ACCOUNT': {
    check: ['audit-trust', 'audit-permissions', 'audit-pod-identity'],
    status: 'skip',
    title: 'The role is in an account these credentials cannot read',
    cause:
      "The annotation (or a Pod Identity association) names a role in another account than the one of the audit's credentials; IAM reads and simulates only the caller's account.",
    confirm: 'aws sts get-caller-identity',
    fix: 'Rerun the audit with credentials (AWS_PROFILE) of account {{account}}.',
  },
  'IAM-TRUST-SKIPPED': {
    check: 'audit-trust',
    status: 'skip',
    title: 'The trust policy was not evaluated',
    cause:
      'No IRSA role to evaluate (the ServiceAccount names none, names an invalid ARN, or uses EKS Pod Identity), or the cluster issuer is unknown.',
    confirm: 'See the audit-serviceaccount and audit-cluster findings.',
  },
  'IAM-TRUST-OK': {
    check: 'audit-trust',
    status: 'pass',
    title: 'The trust policy admits this ServiceAccount',
    cause:
      "A statement allows sts:AssumeRoleWithWebIdentity for this cluster's OIDC provider with :sub and :aud conditions this ServiceAccount's token meets.",
    confirm: 'aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
  },
  'IAM-TRUST-MISMATCH': {
    check: 'audit-trust',
    status: 'fail',
    title: 'No statement of the trust policy admits this ServiceAccount',
    cause:
      "No Allow statement admits sts:AssumeRoleWithWebIdentity by this cluster's provider for system:serviceaccount:NS:SA with the token's audience (or a Deny matches): a :sub naming another namespace or ServiceAccount, a typo, an :aud other than the token's, the wrong provider ARN, or an Action that does not cover it. details.closest names the statement that came closest and the condition that failed, observed against expected.",
    confirm: 'aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
    fix: 'Add this statement to the trust policy of role {{roleName}} (aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json, keeping the statements the role still needs):\n{{trustPolicy}}',
  },
  'IAM-TRUST-WILDCARD': {
    check: 'audit-trust',
    status: 'fail',
    title: 'A wildcard under StringEquals is matched literally',
    cause:
      'A trust statement puts * or ? in a StringEquals condition (e.g. "system:serviceaccount:camunda:*"): StringEquals compares the characters literally, so it admits no real ServiceAccount.',
    confirm: 'aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
    fix: 'In the statement {{statementRef}}, use StringLike for the wildcard (or, better, name the ServiceAccount exactly with StringEquals): aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json with:\n{{trustPolicy}}',
  },
  'IAM-TRUST-OTHER-ISSUER': {
    check: 'audit-trust',
    status: 'fail',
    title: "The trust policy names another cluster's OIDC provider",
    cause:
      'A statement would admit this ServiceAccount but names the provider (and condition keys) of another issuer: the cluster was recreated (a new issuer ID) or the role was copied from another cluster.',
    confirm:
      'aws eks describe-cluster --name {{cluster}} --query cluster.identity.oidc.issuer; aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
    fix: "Point the statement at this cluster's provider {{providerArn}} and its condition keys {{issuerHost}}:sub / :aud (aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json):\n{{trustPolicy}}",
  },

  'PERMISSIONS-SKIPPED': {
    check: 'audit-permissions',
    status: 'skip',
    title: 'No Aurora or OpenSearch target, or no role, to check permissions on',
    cause:
      'Neither --postgres nor --opensearch was given, or there is no role whose policies can be simulated: the ServiceAccount names none (see audit-serviceaccount) or the role does not exist (see audit-trust).',
    confirm: 'irsa-doctor audit --help',
  },
  'RDS-TARGET': {
    check: 'audit-permissions',
    status: 'info',
    title: 'The Aurora/RDS resource behind the endpoint',
    cause:
      'DescribeDBClusters / DescribeDBInstances / DescribeDBProxies found the resource that serves the --postgres endpoint (writer, reader, custom, instance or proxy endpoint), its resource id (what rds-db:connect must name) and whether it accepts IAM authentication.',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].[DBClusterIdentifier,Endpoint,ReaderEndpoint,CustomEndpoints,DbClusterResourceId]"; aws rds describe-db-instances --query "DBInstances[].[DBInstanceIdentifier,Endpoint.Address,DbiResourceId]"; aws rds describe-db-proxies --query "DBProxies[].[DBProxyName,Endpoint,DBProxyArn]"',
  },
  'RDS-NOT-FOUND': {
    check: 'audit-permissions',
    status: 'fail',
    title: 'No Aurora/RDS resource serves the endpoint',
    cause:
      'No DB cluster endpoint (writer, reader, custom), instance or proxy in this region and account has that host name (or it listens on another port): a typo, another region or account, or a CNAME that hides the real endpoint.',
    confirm:
      'aws rds describe-db-clusters --region {{region}} --query "DBClusters[].[Endpoint,ReaderEndpoint,CustomEndpoints,Port]"; aws rds describe-db-instances --region {{region}} --query "DBInstances[].Endpoint"; aws rds describe-db-proxies --region {{region}} --query "DBProxies[].Endpoint"',
    fix: 'Pass the endpoint and port AWS shows for the database (aws rds describe-db-clusters / describe-db-instances / describe-db-proxies --region {{region}}) with --region of the database and credentials of its account; connect the application to that same name.',
  },
  'RDS-IAM-AUTH-DISABLED': {
    check: 'audit-permissions',
    status: 'fail',
    title: 'IAM database authentication is disabled',
    cause:
      'IAMDatabaseAuthenticationEnabled is false on the cluster (Aurora) or instance (RDS), or the RDS Proxy requires no IAM authentication from clients (no Auth entry with IAMAuth REQUIRED or ENABLED, DefaultAuthScheme not IAM_AUTH): every IAM token is refused ("PAM authentication failed").',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].[DBClusterIdentifier,IAMDatabaseAuthenticationEnabled]"; aws rds describe-db-instances --query "DBInstances[].[DBInstanceIdentifier,IAMDatabaseAuthenticationEnabled]"; aws rds describe-db-proxies --query "DBProxies[].[DBProxyName,DefaultAuthScheme,Auth[].IAMAuth]"',
    fix: {
      cluster:
        'aws rds modify-db-cluster --db-cluster-identifier {{identifier}} --enable-iam-database-authentication --apply-immediately --region {{region}}',
      instance:
        'aws rds modify-db-instance --db-instance-identifier {{identifier}} --enable-iam-database-authentication --apply-immediately --region {{region}}',
      proxy:
        'The proxy {{identifier}} does not require IAM from clients: aws rds modify-db-proxy --db-proxy-name {{identifier}} --auth \'[{"AuthScheme":"SECRETS","IAMAuth":"REQUIRED","SecretArn":"{{secretArn}}"}]\' --region {{region}}',
    },
  },
  'IAM-PERMISSION-OK': {
    check: 'audit-permissions',
    status: 'pass',
    title: 'The role may do what the application needs on the exact resource',
    cause:
      'SimulatePrincipalPolicy (identity policies and boundary) allows the action on the exact resource ARN.',
    confirm:
      'aws iam simulate-principal-policy --policy-source-arn {{roleArn}} --action-names {{action}} --resource-arns {{resource}}',
  },
  'IAM-PERMISSION-DENIED': {
    check: 'audit-permissions',
    status: 'fail',
    title: "The role's policies do not allow the action on the exact resource",
    cause:
      "SimulatePrincipalPolicy on the role says implicitDeny or explicitDeny for the action on the exact resource ARN: no policy names it, a policy names another resource (for rds-db:connect the cluster name instead of its resource id cluster-XXXX, or another DB user; for OpenSearch the domain without /*), a permissions boundary excludes it, or a Deny matches. Across accounts the role's own policy must allow even when the resource policy does.",
    confirm:
      'aws iam simulate-principal-policy --policy-source-arn {{roleArn}} --action-names {{action}} --resource-arns {{resource}}',
    fix: {
      allow:
        "Allow it in a policy of role {{roleName}}: aws iam put-role-policy --role-name {{roleName}} --policy-name {{policyName}} --policy-document '{{policyDocument}}'",
      deny: 'Remove or narrow the Deny that matches in the policies of role {{roleName}} ({{statements}}: aws iam list-role-policies / list-attached-role-policies --role-name {{roleName}}); an Allow cannot override an explicit Deny.',
      boundary:
        "The permissions boundary of role {{roleName}} does not allow it: add {{action}} on {{resource}} to the boundary policy (aws iam get-role --role-name {{roleName}} --query Role.PermissionsBoundary), and keep it allowed in the role's own policies: aws iam put-role-policy --role-name {{roleName}} --policy-name {{policyName}} --policy-document '{{policyDocument}}'",
    },
  },
  'IAM-PERMISSION-CONDITIONAL': {
    check: 'audit-permissions',
    status: 'warn',
    title: 'The permission depends on request values the audit cannot see',
    cause:
      "A statement that would allow or deny the role's request has a Condition on keys only the real request carries (aws:SourceIp, aws:SourceVpc, aws:SourceVpce, aws:userid, request tags, ...): the domain access policy or the role's policies decide by the pod's network path or session, which cannot be known from outside the pod.",
    confirm:
      'aws opensearch describe-domain --domain-name {{domainName|DOMAIN}} --query DomainStatus.AccessPolicies; aws iam simulate-principal-policy --policy-source-arn {{roleArn}} --action-names {{action}} --resource-arns {{resource}} --context-entries ...',
    fix: 'Check the condition on {{keys}} ({{where}}) against what the pod really sends (its source address or VPC endpoint); for IRSA workloads prefer naming the role as Principal without network conditions. irsa-doctor run -n {{namespace}} -s {{serviceAccount}} proves it from inside a pod.',
  },
  'OS-DOMAIN-OK': {
    check: 'audit-permissions',
    status: 'pass',
    title: 'The OpenSearch domain lets the role in',
    cause:
      "The domain access policy and the role's identity policies together allow es:ESHttpGet/Post/Put on the domain (in one account an allow in either suffices and an explicit deny in either wins; across accounts both must allow).",
    confirm:
      'aws opensearch describe-domain --domain-name {{domainName}} --query DomainStatus.AccessPolicies',
  },
  'OS-DOMAIN-NOT-FOUND': {
    check: 'audit-permissions',
    status: 'fail',
    title: 'No OpenSearch domain serves the endpoint',
    cause:
      'No domain of this region and account has that endpoint (public, VPC or custom endpoint): a typo, another region or account, or a CNAME that hides the real endpoint.',
    confirm:
      'aws opensearch list-domain-names --region {{region}}; aws opensearch describe-domains --domain-names NAME --query "DomainStatusList[].[Endpoint,Endpoints,DomainEndpointOptions.CustomEndpoint]"',
    fix: 'Pass the endpoint the domain shows (aws opensearch describe-domain --domain-name NAME --region {{region}} --query "DomainStatus.[Endpoint,Endpoints]") with --region of the domain and credentials of its account.',
  },
  'OS-DOMAIN-POLICY-DENIES': {
    check: 'audit-permissions',
    status: 'fail',
    title: 'The domain access policy blocks the role',
    cause:
      "The domain access policy denies the role explicitly, or says nothing for it while the role's own policies do not allow es:ESHttp* either (or the role is in another account, where both must allow).",
    confirm:
      'aws opensearch describe-domain-config --domain-name {{domainName}} --query DomainConfig.AccessPolicies.Options',
    fix: {
      allow:
        'Add this statement to the access policy of domain {{domainName}} (merge it into the current policy, then aws opensearch update-domain-config --domain-name {{domainName}} --region {{region}} --access-policies file://access-policy.json): {{statement}}',
      deny: 'Remove or narrow the Deny statement {{statementRef}} of the access policy of domain {{domainName}} that matches role {{roleArn}}, then aws opensearch update-domain-config --domain-name {{domainName}} --region {{region}} --access-policies file://access-policy.json.',
    },
  },
  'OS-DOMAIN-FGAC': {
    check: 'audit-permissions',
    status: 'info',
    title: 'Fine-grained access control on the domain',
    cause:
      'Whether fine-grained access control is on and who its master user is: with the internal user database on, an internal user (so not the role); with it off, an IAM ARN, which the configuration API does not return (AdvancedSecurityOptions carries no master user), so the audit cannot say whether it is this role. The role mapping itself is not in the AWS API: the agent proves it from inside the pod (OS-FGAC-*).',
    confirm:
      'aws opensearch describe-domain --domain-name {{domainName}} --query DomainStatus.AdvancedSecurityOptions',
  },

  'PODID-NONE': {
    check: 'audit-pod-identity',
    status: 'skip',
    title: 'No EKS Pod Identity association for this ServiceAccount',
    cause:
      'ListPodIdentityAssociations lists none for the namespace and ServiceAccount (it uses IRSA or nothing), or the cluster is unknown, so there is no Pod Identity role to check.',
    confirm:
      'aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}',
  },
  'PODID-ASSOCIATION': {
    check: 'audit-pod-identity',
    status: 'info',
    title: 'An EKS Pod Identity association names this ServiceAccount',
    cause:
      'ListPodIdentityAssociations found an association for the namespace and ServiceAccount, with its role.',
    confirm:
      'aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}',
  },
  'PODID-ROLE-MISSING': {
    check: 'audit-pod-identity',
    status: 'fail',
    title: 'The associated role does not exist',
    cause:
      'The association names a role GetRole does not find (NoSuchEntity): deleted or recreated under another name, or a typo when the association was made. EKS Auth then refuses the pods (the agent answers 403).',
    confirm: 'aws iam get-role --role-name {{roleName}}',
    fix: 'Point the association at a role that exists (aws eks update-pod-identity-association --cluster-name {{cluster}} --association-id {{associationId}} --role-arn ROLE_ARN), or create role {{roleName}} with the trust statement {"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}.',
  },
  'PODID-TRUST-OK': {
    check: 'audit-pod-identity',
    status: 'pass',
    title: 'The associated role trusts EKS Pod Identity',
    cause: 'Its trust policy allows pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession.',
    confirm: 'aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
  },
  'PODID-TRUST': {
    check: 'audit-pod-identity',
    status: 'fail',
    title: 'The associated role does not trust EKS Pod Identity',
    cause:
      "EKS Auth assumes the association's role as the service pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession; a trust policy without both (often one written for IRSA), or a Deny or condition that excludes them, makes the agent answer 403. details name the action that is refused and the statement that came closest.",
    confirm: 'aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument',
    fix: 'Add this statement to the trust policy of role {{roleName}} (aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json, keeping the statements the role still needs): {"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}',
  },
  'MECHANISM-BOTH': {
    check: 'audit-pod-identity',
    status: 'warn',
    title: 'IRSA annotation and Pod Identity association on one ServiceAccount',
    cause:
      'Both mechanisms name a role. EKS skips the IRSA injection for pods created while an association exists, so those pods use the Pod Identity role; a pod that carries both sets of variables (created before the association, or set by hand) uses the IRSA role, because the SDK credential chain reads the web identity token file before container credentials. Which role a pod gets depends on when it was created: keep one.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}",
    fix: `Keep one: delete the association (aws eks delete-pod-identity-association --cluster-name {{cluster}} --association-id {{associationId}}) to use IRSA, or remove the annotation (kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn-) to use Pod Identity; then ${RESTART}.`,
  },

  'NODES-OK': {
    check: 'audit-nodes',
    status: 'pass',
    title: "The nodes of this ServiceAccount's pods keep IMDS from pods",
    cause:
      'Every instance behind those nodes requires IMDSv2 with a hop limit of 1, so a pod cannot fall back to the node role.',
    confirm:
      'aws ec2 describe-instances --instance-ids {{instances}} --query "Reservations[].Instances[].MetadataOptions"',
  },
  'NODES-NONE': {
    check: 'audit-nodes',
    status: 'skip',
    title: 'No node to look at',
    cause:
      'No pod of this ServiceAccount runs on a node with an EC2 instance (none runs, Fargate, or not EC2).',
    confirm: 'kubectl get pods -n {{namespace}} -o wide',
  },
  'NODES-IMDS-HOP-LIMIT': {
    check: 'audit-nodes',
    status: 'warn',
    title: 'Pods can reach IMDS: hop limit above 1',
    cause:
      'HttpPutResponseHopLimit is 2 or more on the instances behind these nodes: a pod gets an IMDSv2 token and the node role credentials, so a broken IRSA setup silently runs as the node role.',
    confirm:
      'aws ec2 describe-instances --instance-ids {{instances}} --query "Reservations[].Instances[].MetadataOptions"',
    fix: 'Set the hop limit to 1 on the nodes (aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-put-response-hop-limit 1 for {{instances}}) and in the node group launch template (MetadataOptions HttpPutResponseHopLimit=1).',
  },
  'NODES-IMDSV1': {
    check: 'audit-nodes',
    status: 'warn',
    title: 'Pods can read IMDSv1: tokens optional',
    cause:
      'HttpTokens is optional on the instances behind these nodes: a plain GET from any pod (or an SSRF) reads the node role credentials, and the SDK falls back to IMDSv1 when IRSA breaks.',
    confirm:
      'aws ec2 describe-instances --instance-ids {{instances}} --query "Reservations[].Instances[].MetadataOptions.HttpTokens"',
    fix: 'Require IMDSv2: aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-tokens required --http-put-response-hop-limit 1 for {{instances}}, and in the node group launch template (MetadataOptions HttpTokens=required).',
  },

  'CLOUDTRAIL-OK': {
    check: 'audit-cloudtrail',
    status: 'pass',
    title: 'No refused web identity exchange in CloudTrail',
    cause:
      'CloudTrail holds no failed AssumeRoleWithWebIdentity for this ServiceAccount in the period searched.',
    confirm:
      'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity',
  },
  'CLOUDTRAIL-FAILURES': {
    check: 'audit-cloudtrail',
    status: 'warn',
    title: 'STS refused this ServiceAccount recently',
    cause:
      "CloudTrail recorded failed AssumeRoleWithWebIdentity calls with this ServiceAccount's subject: the error codes (AccessDenied, InvalidIdentityToken, ...) say which link broke, as the pods saw it.",
    confirm:
      'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity --start-time {{since}} --query "Events[].CloudTrailEvent"',
    fix: 'Fix what the newest error names ({{newest}}): AccessDenied is the trust policy (IAM-TRUST-*), InvalidIdentityToken the OIDC provider or audience (IAM-OIDC-*), ExpiredToken a stale token; irsa-doctor run -n {{namespace}} -s {{serviceAccount}} shows it from inside a pod.',
  },

  'ASSUME-SKIPPED': {
    check: 'audit-assume',
    status: 'skip',
    title: 'Nothing to prove with --assume',
    cause:
      'The ServiceAccount could not be read or names no valid IRSA role: --assume proves the IRSA exchange (TokenRequest, then sts:AssumeRoleWithWebIdentity); an EKS Pod Identity role is checked from its trust policy (audit-pod-identity) instead.',
    confirm: "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'",
  },
});
