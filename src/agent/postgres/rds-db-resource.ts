// The resource ARN and statement moved to src/aws/ (the audit needs them too); re-exported for the agent.
export { rdsConnectStatement, rdsDbResourceArn } from '../../aws/rds-db-resource.js';

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
