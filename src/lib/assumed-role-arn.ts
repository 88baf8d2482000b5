// The STS session ARNs GetCallerIdentity returns, and whether one belongs to a given role ARN.

export interface AssumedRoleArn {
  partition: string;
  account: string;
  roleName: string;
  sessionName: string;
}

/** `arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION`, or undefined for anything else. */
export function parseAssumedRoleArn(raw: string): AssumedRoleArn | undefined {
  const m = /^arn:([a-z0-9-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/(.+)$/.exec(raw.trim());
  if (!m) return undefined;
  return { partition: m[1]!, account: m[2]!, roleName: m[3]!, sessionName: m[4]! };
}

/**
 * Whether an assumed-role session belongs to the role. STS drops the role's path from the session
 * ARN, so compare partition, account and name; IAM role names are unique case-insensitively.
 */
export function roleNameMatches(roleArn: string, assumedRoleArn: string): boolean {
  const assumed = parseAssumedRoleArn(assumedRoleArn);
  if (!assumed) return false;
  const m = /^arn:([a-z0-9-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn.trim());
  if (!m) return false;
  return (
    m[1] === assumed.partition &&
    m[2] === assumed.account &&
    m[3]!.toLowerCase() === assumed.roleName.toLowerCase()
  );
}
