// The documents the OpenSearch fixes quote, with the real ARNs filled in where the agent knows them.

/** What the fixes need to name: the role and where the domain lives. Unknown parts get placeholders. */
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

export function arnParts(roleArn: string | undefined): { partition: string; account: string; name: string } {
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
export function accessPolicyStatement(t: RemediationTarget): string {
  return json({
    Effect: 'Allow',
    Principal: { AWS: t.roleArn ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME' },
    Action: 'es:ESHttp*',
    Resource: `${domainArn(t)}/*`,
  });
}

/** The identity policy the role needs for the domain's HTTP API. */
export function identityPolicyDocument(t: RemediationTarget): string {
  return json({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['es:ESHttp*'], Resource: [`${domainArn(t)}/*`] }],
  });
}

/** Serverless collections: the data access policy naming the role, and aoss:APIAccessAll on the role. */
export function aossPolicies(t: RemediationTarget): { dataPolicy: string; identityPolicy: string } {
  const { partition, account } = arnParts(t.roleArn);
  const arn = t.roleArn ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME';
  const dataPolicy = [
    {
      Rules: [
        { ResourceType: 'collection', Resource: ['collection/COLLECTION_NAME'], Permission: ['aoss:*'] },
        { ResourceType: 'index', Resource: ['index/COLLECTION_NAME/*'], Permission: ['aoss:*'] },
      ],
      Principal: [arn],
    },
  ];
  const identityPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['aoss:APIAccessAll'],
        Resource: [
          `arn:${partition}:aoss:${t.region ?? 'REGION'}:${account}:collection/${t.collectionId ?? 'COLLECTION_ID'}`,
        ],
      },
    ],
  };
  return { dataPolicy: json(dataPolicy), identityPolicy: json(identityPolicy) };
}
