// The role whose permissions count for this ServiceAccount's pods: the IRSA annotation's (the SDKs try
// the web identity token first), else the EKS Pod Identity association's.
import { parseRoleArn, type RoleArn } from '../../lib/arn.js';
import { saFact } from '../audit-context.js';
import { operatorIdentity } from '../aws/operator.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';

export type PermissionRole =
  | { state: 'ready'; arn: RoleArn; source: 'annotation' | 'pod-identity' }
  /** in an account these credentials cannot simulate: IAM answers only for the caller's account */
  | { state: 'other-account'; arn: RoleArn; source: 'annotation' | 'pod-identity'; operatorAccount: string }
  | { state: 'none'; why: string };

export const permissionRole = saFact('permission-role', async (ctx): Promise<PermissionRole> => {
  const id = await workloadIdentity(ctx);
  let arn: RoleArn | undefined;
  let source: 'annotation' | 'pod-identity' = 'annotation';
  if (id.annotation.state === 'valid') arn = id.annotation.arn;
  else if (id.associations?.ok) {
    const raw = id.associations.value.find((a) => a.roleArn)?.roleArn;
    const parsed = raw ? parseRoleArn(raw) : undefined;
    if (parsed?.ok) {
      arn = parsed.arn;
      source = 'pod-identity';
    }
  }
  if (!arn)
    return {
      state: 'none',
      why: id.known
        ? 'the ServiceAccount names no valid role (no eks.amazonaws.com/role-arn, no Pod Identity association with a role)'
        : 'the ServiceAccount could not be read',
    };
  const me = await operatorIdentity(ctx);
  if (me.ok && me.value.account && me.value.account !== arn.account)
    return { state: 'other-account', arn, source, operatorAccount: me.value.account };
  return { state: 'ready', arn, source };
});
