import type { CodeCatalog } from './code-info.js';

export const ARN_CODES: CodeCatalog = {
  'ARN-VALID': {
    title: 'AWS_ROLE_ARN is a well-formed role ARN',
    cause:
      'arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME with a known partition, 12-digit account and a legal name.',
    confirm: "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: 'None.',
  },
  'ARN-NOT-SET': {
    title: 'No AWS_ROLE_ARN to check',
    cause:
      'IRSA is not injected (see ENV-NOT-INJECTED / ENV-PARTIAL) or the pod uses EKS Pod Identity, where the association names the role.',
    confirm: 'env | grep AWS_ROLE_ARN',
    fix: 'None by itself; follow the env check.',
  },
  'ARN-INVALID': {
    title: 'AWS_ROLE_ARN is not a valid role ARN',
    cause:
      'A hand-typed annotation: an extra or missing colon (arn:aws:iam::::1234567890:role/x), an account that is not 12 digits, a user or assumed-role ARN instead of the role, an unknown partition, a region in the IAM ARN, whitespace or quotes copied from YAML, or illegal characters in the role name. The webhook logs the bad ARN but still injects it; STS then answers ValidationError "Request ARN is invalid".',
    confirm:
      "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'; aws iam get-role --role-name NAME --query Role.Arn",
    fix: 'kubectl annotate sa SA -n NS eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME --overwrite (the exact ARN from aws iam get-role), then kubectl rollout restart deployment/NAME -n NS.',
  },
  'ARN-PARTITION-MISMATCH': {
    title: "The role's partition does not match the region",
    cause:
      'A role ARN from the commercial partition (arn:aws) used in China (cn-*) or GovCloud (us-gov-*), or the reverse; STS in that region knows no such role or OIDC provider ("No OpenIDConnect provider found").',
    confirm: 'echo $AWS_REGION $AWS_ROLE_ARN',
    fix: 'Use the role ARN of the partition the cluster runs in (arn:aws-cn:..., arn:aws-us-gov:...), or fix AWS_REGION.',
  },
};
