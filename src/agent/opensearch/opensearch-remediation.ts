// The exact changes the OpenSearch findings recommend, with the real ARNs filled in where the agent knows them.

/** What the remediations need to name: the role and where the domain lives. Unknown parts get placeholders. */
export interface RemediationTarget {
  /** IAM role ARN (arn:aws:iam::ACCT:role/PATH/NAME), never the assumed-role session ARN */
  roleArn?: string;
  region?: string;
  domainName?: string;
  collectionId?: string;
  /** origin of the endpoint, e.g. https://search-x.eu-west-1.es.amazonaws.com */
  url: string;
}

/** arn:aws:sts::ACCT:assumed-role/NAME/SESSION -> arn:aws:iam::ACCT:role/NAME (STS drops the path). */
export function roleArnFromPrincipal(principal: string | undefined): string | undefined {
  if (!principal) return undefined;
  const p = principal.trim();
  if (/^arn:[a-z0-9-]+:iam::\d{12}:role\//.test(p)) return p;
  const m = /^arn:([a-z0-9-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(p);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function arnParts(roleArn: string | undefined): { partition: string; account: string; name: string } {
  const m = roleArn ? /^arn:([a-z0-9-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) : null;
  return m
    ? { partition: m[1]!, account: m[2]!, name: m[3]! }
    : { partition: 'aws', account: 'ACCOUNT_ID', name: 'ROLE_NAME' };
}

const json = (v: unknown) => JSON.stringify(v);

export function domainArn(t: RemediationTarget): string {
  const { partition, account } = arnParts(t.roleArn);
  return `arn:${partition}:es:${t.region ?? 'REGION'}:${account}:domain/${t.domainName ?? 'DOMAIN_NAME'}`;
}

/** The domain access policy statement that lets the role call the HTTP API. */
export function accessPolicyStatement(t: RemediationTarget): object {
  return {
    Effect: 'Allow',
    Principal: { AWS: t.roleArn ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME' },
    Action: 'es:ESHttp*',
    Resource: `${domainArn(t)}/*`,
  };
}

export function accessPolicyRemediation(t: RemediationTarget, explicitDeny: boolean): string {
  const domain = t.domainName ?? 'DOMAIN_NAME';
  const region = t.region ? ` --region ${t.region}` : '';
  const lead = explicitDeny
    ? `Remove or narrow the Deny statement in the domain access policy that matches this role, and make sure a statement allows it: ${json(accessPolicyStatement(t))}.`
    : `Add this statement to the domain access policy of "${domain}": ${json(accessPolicyStatement(t))}.`;
  return (
    `${lead} The policy is replaced as a whole, so merge it into the current one ` +
    `(aws opensearch describe-domain-config --domain-name ${domain}${region} --query DomainConfig.AccessPolicies.Options), then ` +
    `aws opensearch update-domain-config --domain-name ${domain}${region} --access-policies file://access-policy.json ` +
    '(Terraform: aws_opensearch_domain_policy / access_policies).'
  );
}

/** The identity policy the role needs for the domain's HTTP API. */
export function identityPolicyRemediation(t: RemediationTarget, explicitDeny: boolean): string {
  const { name } = arnParts(t.roleArn);
  const doc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['es:ESHttp*'], Resource: [`${domainArn(t)}/*`] }],
  };
  const lead = explicitDeny
    ? `Remove the Deny on es:ESHttp* from the policies attached to role ${name} (or its permissions boundary / an SCP), and make sure it is allowed.`
    : `Role ${name} has no policy allowing es:ESHttp* on this domain. Attach one:`;
  return `${lead} aws iam put-role-policy --role-name ${name} --policy-name opensearch-http --policy-document '${json(doc)}' (Terraform: aws_iam_policy with these actions, attached to the IRSA role).`;
}

/**
 * The fine-grained access control mapping for the role ARN. The user OpenSearch sees is the role ARN, so the
 * mapping must name that, not the assumed-role session ARN.
 */
export function roleMappingRemediation(t: RemediationTarget, mappingRole = 'all_access'): string {
  const arn = t.roleArn ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME';
  const patch = json([{ op: 'add', path: '/backend_roles/-', value: arn }]);
  const put = json({ backend_roles: [arn] });
  return (
    `Map the IAM role ARN ${arn} as a backend role of an OpenSearch role (all_access, or a narrower role the application needs), ` +
    `as the master user: curl -sS -u MASTER_USER:MASTER_PASSWORD -X PATCH "${t.url}/_plugins/_security/api/rolesmapping/${mappingRole}" ` +
    `-H 'Content-Type: application/json' -d '${patch}' ` +
    `(a role with no mapping yet: PUT the same URL with ${put}; older domains use _opendistro/_security instead of _plugins/_security; ` +
    `note that PATCH "path":"/backend_roles" replaces the existing list). ` +
    `Terraform (opensearch provider): resource "opensearch_roles_mapping" { role_name = "${mappingRole}", backend_roles = ["${arn}"] }. ` +
    'Dashboards: Security > Roles > all_access > Mapped users > Manage mapping > Backend roles. ' +
    'Map the role ARN, never the arn:aws:sts::...:assumed-role/... session ARN.'
  );
}

/** Serverless collections: a data access policy naming the role, and aoss:APIAccessAll on the role. */
export function aossRemediation(t: RemediationTarget): string {
  const { partition, account, name } = arnParts(t.roleArn);
  const arn = t.roleArn ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME';
  const region = t.region ?? 'REGION';
  const id = t.collectionId ?? 'COLLECTION_ID';
  const dataPolicy = [
    {
      Rules: [
        { ResourceType: 'collection', Resource: ['collection/COLLECTION_NAME'], Permission: ['aoss:*'] },
        { ResourceType: 'index', Resource: ['index/COLLECTION_NAME/*'], Permission: ['aoss:*'] },
      ],
      Principal: [arn],
    },
  ];
  const idPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['aoss:APIAccessAll'],
        Resource: [`arn:${partition}:aoss:${region}:${account}:collection/${id}`],
      },
    ],
  };
  return (
    `Serverless answers every denial with the same 403. Check both: (1) a data access policy of the collection names ${arn} ` +
    `(name from aws opensearchserverless batch-get-collection --ids ${id}): ` +
    `aws opensearchserverless create-access-policy --type data --name camunda-irsa --policy '${json(dataPolicy)}' ` +
    `(or update-access-policy on an existing one); (2) role ${name} allows aoss:APIAccessAll: ` +
    `aws iam put-role-policy --role-name ${name} --policy-name aoss-api --policy-document '${json(idPolicy)}'. ` +
    'Also make sure clients sign for service "aoss" (not "es") and the collection\'s region.'
  );
}
