/**
 * Every AWS action the audit performs with the operator's credentials. The read-only policy the project
 * ships, iam/audit-read-only-policy.json, grants exactly these (a unit test holds the two equal), and
 * AuditAws.call accepts no other action, so a new read cannot ship without its permission.
 */
export const OPERATOR_READS = [
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:GetRolePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetOpenIDConnectProvider',
  'iam:SimulatePrincipalPolicy',
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:ListPodIdentityAssociations',
  'eks:DescribePodIdentityAssociation',
  'rds:DescribeDBClusters',
  'rds:DescribeDBInstances',
  'rds:DescribeDBProxies',
  'es:ListDomainNames',
  'es:DescribeDomains',
  'cloudtrail:LookupEvents',
  'ec2:DescribeInstances',
] as const;

/**
 * Calls no policy has to grant: GetCallerIdentity is allowed to every caller, and --assume's
 * AssumeRoleWithWebIdentity is authorised by the ServiceAccount's token, not by the operator.
 */
export const UNGATED_CALLS = ['sts:GetCallerIdentity', 'sts:AssumeRoleWithWebIdentity'] as const;

export type AuditAction = (typeof OPERATOR_READS)[number] | (typeof UNGATED_CALLS)[number];
