// What an `rds-db:connect` grant must name (REFERENCE section 8): shared by the agent, which explains a
// refused IAM login from inside the pod, and the audit, which simulates the grant from outside.

/** The resource an `rds-db:connect` statement must name. */
export function rdsDbResourceArn(p: {
  partition?: string;
  region: string;
  account?: string;
  /** `cluster-XXXX` (Aurora), `db-XXXX` (instance) or `prx-XXXX` (RDS Proxy); never the cluster name. */
  resourceId?: string;
  user: string;
}): string {
  return `arn:${p.partition ?? 'aws'}:rds-db:${p.region}:${p.account ?? 'ACCOUNT_ID'}:dbuser:${p.resourceId ?? 'cluster-RESOURCE_ID'}/${p.user}`;
}

/** The identity-policy statement that lets a role log in as `user`, as one line of JSON. */
export function rdsConnectStatement(resourceArn: string): string {
  return JSON.stringify({ Effect: 'Allow', Action: 'rds-db:connect', Resource: resourceArn });
}

/** The whole identity policy document around that statement, one line, for `aws iam put-role-policy`. */
export function rdsConnectPolicyDocument(resourceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: resourceArn }],
  });
}
