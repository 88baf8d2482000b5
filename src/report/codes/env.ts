import type { CodeCatalog } from './code-info.js';

export const ENV_CODES: CodeCatalog = {
  'ENV-INJECTED': {
    title: 'Credentials environment injected',
    cause:
      'The pod carries AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (IRSA, set by the pod identity webhook) or AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity).',
    confirm:
      "kubectl get pod POD -n NS -o yaml | grep -E 'AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_'",
    fix: 'None.',
  },
  'ENV-NOT-INJECTED': {
    title: 'No IRSA or Pod Identity environment in the pod',
    cause:
      'When one variable of a pair is present (details.partial, with ENV-PARTIAL): the container sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE itself, so the webhook skipped it. Otherwise, most likely first: the ServiceAccount has no (or a misspelt) eks.amazonaws.com/role-arn annotation; the pod was created before the annotation (the webhook mutates only on CREATE); the pod runs under another ServiceAccount; the MutatingWebhookConfiguration pod-identity-webhook is missing or has a bad caBundle (failurePolicy Ignore lets pods start unmutated); the pod is skipped by the label eks.amazonaws.com/skip-pod-identity-webhook or the container by the annotation eks.amazonaws.com/skip-containers; for Pod Identity, no association or no eks-pod-identity-agent add-on.',
    confirm:
      "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations}'; kubectl get pod POD -n NS -o jsonpath='{.spec.serviceAccountName} {.metadata.creationTimestamp}'; kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml; aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace NS",
    fix: 'Remove a hand-set AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE from the container (kubectl set env deployment/NAME -n NS AWS_ROLE_ARN-); kubectl annotate sa SA -n NS eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME --overwrite, then kubectl rollout restart deployment/NAME -n NS (or create the Pod Identity association and restart).',
  },
  'ENV-PARTIAL': {
    title: 'Only half of a mechanism is in the environment',
    cause:
      'The container sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE itself (or through envFrom), so the webhook skipped injecting the rest; or the env was copied from another pod without its projected volume. The SDK needs both variables of a pair and silently moves on without them.',
    confirm: "kubectl get pod POD -n NS -o jsonpath='{.spec.containers[*].env}'",
    fix: 'Remove the hand-set variable from the container spec (kubectl set env deployment/NAME -n NS AWS_ROLE_ARN-) and let the webhook inject both, then restart the pods.',
  },
  'ENV-BOTH-MECHANISMS': {
    title: 'Both IRSA and Pod Identity variables are set',
    cause:
      'A ServiceAccount with the role-arn annotation and a Pod Identity association, or variables set by hand. The SDK default chains try the web identity token file before container credentials, so IRSA (AWS_ROLE_ARN) wins.',
    confirm:
      "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations}'; aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace NS --service-account SA",
    fix: 'Keep one: remove the eks.amazonaws.com/role-arn annotation to use Pod Identity, or delete the association (aws eks delete-pod-identity-association) to use IRSA; restart the pods.',
  },
  'ENV-REGION-MISSING': {
    title: 'No AWS region configured',
    cause:
      "Neither AWS_REGION, AWS_DEFAULT_REGION, --region nor a profile region is set. EKS's managed webhook sets AWS_REGION and AWS_DEFAULT_REGION on injection, so this usually means injection did not happen or a self-managed webhook without a region. Without one, SDK clients fail with 'Region is missing' (the JS SDK first asks IMDS, which a hop limit of 1 blocks) and STS calls go to the global endpoint.",
    confirm: 'env | grep -E "^AWS_(DEFAULT_)?REGION="',
    fix: 'Set env AWS_REGION=REGION on the container (kubectl set env deployment/NAME -n NS AWS_REGION=REGION), or configure the region in the application.',
  },
  'ENV-REGION-DEFAULT-ONLY': {
    title: 'Only AWS_DEFAULT_REGION is set',
    cause:
      'The AWS SDKs for JavaScript v3 and Java v2 read AWS_REGION, not AWS_DEFAULT_REGION (the CLI and boto3 read the latter).',
    confirm: 'env | grep -E "^AWS_(DEFAULT_)?REGION="',
    fix: 'Also set AWS_REGION to the same value on the container.',
  },
  'ENV-REGION-INVALID': {
    title: 'The region does not look like an AWS region',
    cause:
      'An availability zone (eu-west-1a) or a typo in AWS_REGION/--region; STS and service endpoints are then built for a region that does not exist.',
    confirm: 'aws ec2 describe-regions --query "Regions[].RegionName"',
    fix: 'Set AWS_REGION to a region name such as eu-west-1.',
  },
  'CHAIN-SHADOWED': {
    title: 'Another credential source shadows IRSA / Pod Identity',
    cause:
      'The SDK default chain (REFERENCE section 6) tries env keys (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, unless AWS_PROFILE is set), then the selected profile of ~/.aws/config and ~/.aws/credentials (static keys, role_arn + source_profile/credential_source, web_identity_token_file, credential_process, SSO), all before the web identity token file. Keys baked into the image or a Secret mounted as env win over IRSA; a failing profile stops the chain.',
    confirm:
      "kubectl get pod POD -n NS -o jsonpath='{.spec.containers[*].env}'; kubectl exec POD -n NS -- sh -c 'env | grep -E ^AWS_; ls -la ~/.aws'",
    fix: 'Remove the static keys from the container env (kubectl set env deployment/NAME -n NS AWS_ACCESS_KEY_ID- AWS_SECRET_ACCESS_KEY-), unset AWS_PROFILE, and remove the credential settings from the baked-in ~/.aws files (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at files without them).',
  },
};
