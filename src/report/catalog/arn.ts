import { defineCodes } from './define.js';

export const ARN_CODES = defineCodes({
  'ARN-VALID': {
    check: 'role-arn',
    status: 'pass',
    title: 'AWS_ROLE_ARN is a well-formed role ARN',
    cause:
      'arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME with a known partition, 12-digit account and a legal name.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
  },
  'ARN-NOT-SET': {
    check: 'role-arn',
    status: 'skip',
    title: 'No AWS_ROLE_ARN to check',
    cause:
      'IRSA is not injected (see ENV-NOT-INJECTED / ENV-PARTIAL) or the pod uses EKS Pod Identity, where the association names the role.',
    confirm: 'env | grep AWS_ROLE_ARN',
  },
  'ARN-INVALID': {
    check: 'role-arn',
    status: 'fail',
    title: 'AWS_ROLE_ARN is not a valid role ARN',
    cause:
      'A hand-typed annotation: an extra or missing colon (arn:aws:iam::::1234567890:role/x), an account that is not 12 digits, a user or assumed-role ARN instead of the role, an unknown partition, a region in the IAM ARN, whitespace or quotes copied from YAML, or illegal characters in the role name. The webhook logs the bad ARN but still injects it; STS then answers ValidationError "Request ARN is invalid".',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'; aws iam get-role --role-name {{roleName}} --query Role.Arn",
    fix: "Set the ServiceAccount annotation to the role's exact ARN (`aws iam get-role --role-name NAME --query Role.Arn`), e.g. `eks.amazonaws.com/role-arn: {{suggestion}}`: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn={{suggestion}} --overwrite`, then `kubectl rollout restart {{workload|deployment/NAME}} -n {{namespace}}` (the webhook injects only when a pod is created). If the container sets AWS_ROLE_ARN itself, fix it there instead.",
  },
  'ARN-PARTITION-MISMATCH': {
    check: 'role-arn',
    status: 'warn',
    title: "The role's partition does not match the region",
    cause:
      'A role ARN from the commercial partition (arn:aws) used in China (cn-*) or GovCloud (us-gov-*), or the reverse; STS in that region knows no such role or OIDC provider ("No OpenIDConnect provider found"). The region may come from AWS_REGION, AWS_DEFAULT_REGION, --region or the selected AWS profile.',
    confirm: 'echo $AWS_REGION $AWS_DEFAULT_REGION $AWS_PROFILE $AWS_ROLE_ARN',
    fix: 'Use the role ARN from partition {{regionPartition}} (arn:{{regionPartition}}:iam::ACCOUNT:role/NAME) or set AWS_REGION to a region of {{partition}}.',
  },
});
