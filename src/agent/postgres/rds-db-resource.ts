/** The resource an `rds-db:connect` statement must name (REFERENCE section 8). */
export function rdsDbResourceArn(p: {
  partition?: string;
  region: string;
  account?: string;
  /** `cluster-XXXX` (Aurora) or `db-XXXX` (instance); never the cluster name. */
  resourceId?: string;
  user: string;
}): string {
  return `arn:${p.partition ?? 'aws'}:rds-db:${p.region}:${p.account ?? 'ACCOUNT_ID'}:dbuser:${p.resourceId ?? 'cluster-RESOURCE_ID'}/${p.user}`;
}

/** The identity-policy statement that lets a role log in as `user`, as one line of JSON. */
export function rdsConnectStatement(resourceArn: string): string {
  return JSON.stringify({ Effect: 'Allow', Action: 'rds-db:connect', Resource: resourceArn });
}

/** The CLI call that shows the two facts an IAM login depends on. */
export function describeClusterCommand(
  identifier: string | undefined,
  region: string,
  kind: 'cluster' | 'instance' = 'cluster',
): string {
  if (kind === 'instance') {
    return `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier ?? 'INSTANCE_ID'} --query 'DBInstances[0].[DbiResourceId,IAMDatabaseAuthenticationEnabled]'`;
  }
  return `aws rds describe-db-clusters --region ${region} --db-cluster-identifier ${identifier ?? 'CLUSTER_ID'} --query 'DBClusters[0].[DbClusterResourceId,IAMDatabaseAuthenticationEnabled]'`;
}

/** Double-quotes a PostgreSQL identifier, so GRANTs work for names like `my-user`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
