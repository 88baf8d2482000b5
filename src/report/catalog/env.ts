import { defineCodes } from './define.js';

const RESTART = '`kubectl rollout restart {{workload|deployment/NAME}} -n {{namespace}}`';

export const ENV_CODES = defineCodes({
  'ENV-INJECTED': {
    check: 'env',
    status: 'pass',
    title: 'Credentials environment injected',
    cause:
      'The pod carries AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (IRSA, set by the pod identity webhook) or AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity).',
    confirm:
      "kubectl get pod {{pod}} -n {{namespace}} -o yaml | grep -E 'AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_'",
  },
  'ENV-NOT-INJECTED': {
    check: 'env',
    status: 'fail',
    title: 'No IRSA or Pod Identity environment in the pod',
    cause:
      'When one variable of a pair is present (details.partial, with ENV-PARTIAL): the container sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE itself, so the webhook skipped it. Otherwise, most likely first: the ServiceAccount has no (or a misspelt) eks.amazonaws.com/role-arn annotation; the pod was created before the annotation (the webhook mutates only on CREATE); the pod runs under another ServiceAccount; the MutatingWebhookConfiguration pod-identity-webhook is missing or has a bad caBundle (failurePolicy Ignore lets pods start unmutated); the pod is skipped by the label eks.amazonaws.com/skip-pod-identity-webhook or the container by the annotation eks.amazonaws.com/skip-containers; for Pod Identity, no association or no eks-pod-identity-agent add-on.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.serviceAccountName} {.metadata.creationTimestamp}'; kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml; aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}}",
    steps: { style: 'inline', intro: 'Find which applies, most likely first:' },
    fix: {
      irsaHalf: `the container sets {{irsaVar}} itself (in its env or an envFrom Secret/ConfigMap), and the webhook injects nothing into a container that already sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE: remove it (\`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{irsaVar}}-\`), make sure ServiceAccount {{serviceAccount}} carries eks.amazonaws.com/role-arn, and restart the pods (${RESTART});`,
      podIdentityHalf:
        'the container sets {{podIdentityVar}} itself: remove it (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{podIdentityVar}}-`) and let the EKS Pod Identity webhook inject both variables, then restart the pods;',
      annotation:
        "the ServiceAccount lacks the annotation or it is misspelt: `kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'` must show eks.amazonaws.com/role-arn; fix: `kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME --overwrite`;",
      createdBefore: `the pod was created before the annotation (the webhook mutates only on CREATE): ${RESTART};`,
      otherServiceAccount:
        "the pod runs under another ServiceAccount: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.serviceAccountName}'`;",
      webhook:
        'the webhook is missing or broken (failurePolicy Ignore lets pods start unmutated): `kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml` must exist with a valid caBundle;',
      skipped:
        'the pod is skipped by the label eks.amazonaws.com/skip-pod-identity-webhook, or this container is listed in the pod annotation eks.amazonaws.com/skip-containers: remove them;',
      podIdentity:
        'for EKS Pod Identity instead: `aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}` must list one and the eks-pod-identity-agent add-on must run; then restart the pod.',
    },
  },
  'ENV-PARTIAL': {
    check: 'env',
    status: {
      fail: 'the other mechanism is not complete either: the pod gets no identity from the environment',
      warn: 'the other mechanism is complete, so the pod still gets credentials, from that one',
    },
    title: 'Only half of a mechanism is in the environment',
    cause:
      'The container sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE itself (or through envFrom), so the webhook skipped injecting the rest; or the env was copied from another pod without its projected volume. The SDK needs both variables of a pair and silently moves on without them.',
    confirm: "kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.containers[*].env}'",
    fix: {
      irsa: `The webhook injects nothing into a container that already sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE. Remove {{present}} from the container spec (\`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{present}}-\`), make sure ServiceAccount {{serviceAccount}} carries eks.amazonaws.com/role-arn, and restart the pods (${RESTART}).`,
      podIdentity:
        'Remove {{present}} from the container spec (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{present}}-`) and let the EKS Pod Identity webhook inject both variables: create the association (`aws eks create-pod-identity-association --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}} --role-arn {{roleArn}}`) and restart the pods.',
    },
  },
  'ENV-BOTH-MECHANISMS': {
    check: 'env',
    status: 'info',
    title: 'Both IRSA and Pod Identity variables are set',
    cause:
      'A ServiceAccount with the role-arn annotation and a Pod Identity association, or variables set by hand. The SDK default chains try the web identity token file before container credentials, so IRSA (AWS_ROLE_ARN) wins.',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}",
    fix: 'Keep one: remove the eks.amazonaws.com/role-arn annotation to use Pod Identity, or delete the association (`aws eks delete-pod-identity-association`) to use IRSA; restart the pods.',
  },
  'ENV-REGION-MISSING': {
    check: 'env',
    status: 'warn',
    title: 'No AWS region configured',
    cause:
      "Neither AWS_REGION, AWS_DEFAULT_REGION, --region nor a profile region is set. EKS's managed webhook sets AWS_REGION and AWS_DEFAULT_REGION on injection, so this usually means injection did not happen or a self-managed webhook without a region. Without one, SDK clients fail with 'Region is missing' (the JS SDK first asks IMDS, which a hop limit of 1 blocks) and STS calls go to the global endpoint.",
    confirm: 'env | grep -E "^AWS_(DEFAULT_)?REGION="',
    fix: "Set the region on the container: `kubectl set env {{workload|deployment/NAME}} -n {{namespace}} AWS_REGION=REGION` (SDK clients otherwise fail with 'Region is missing' or call STS's global endpoint).",
  },
  'ENV-REGION-DEFAULT-ONLY': {
    check: 'env',
    status: 'warn',
    title: 'Only AWS_DEFAULT_REGION is set',
    cause:
      'The AWS SDKs for JavaScript v3 and Java v2 read AWS_REGION, not AWS_DEFAULT_REGION (the CLI and boto3 read the latter).',
    confirm: 'env | grep -E "^AWS_(DEFAULT_)?REGION="',
    fix: 'Also set AWS_REGION={{region}} on the container (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} AWS_REGION={{region}}`).',
  },
  'ENV-REGION-INVALID': {
    check: 'env',
    status: 'warn',
    title: 'The region does not look like an AWS region',
    cause:
      'An availability zone (eu-west-1a) or a typo in AWS_REGION/--region; STS and service endpoints are then built for a region that does not exist.',
    confirm: 'aws ec2 describe-regions --query "Regions[].RegionName"',
    fix: 'Set {{setting|AWS_REGION}} to a region name such as {{suggestion|eu-west-1}}.',
  },
  'ENV-CONFIG-FILE-UNUSABLE': {
    check: 'env',
    status: {
      fail: 'a FIFO, a socket or a device (or a stat() that never answers): an AWS SDK reading it blocks for ever or reads without end, so the application hangs or runs out of memory at its first AWS call',
      warn: 'a directory, an unreadable file or one larger than 1 MiB: an AWS SDK ignores it or reads it whole; irsa-doctor did not read it, so profiles in it were not checked',
    },
    title: 'The AWS shared config or credentials file is not a usable file',
    cause:
      "AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE (or ~/.aws/config, ~/.aws/credentials) names something that is not a small regular file: a variable pointing at /dev/zero or a named pipe, a volume mounted at the file's path as a directory (a ConfigMap mounted without subPath), an unreadable mount. The SDKs read these files whole, without a size limit or a type check, at the first AWS call. irsa-doctor stats the file first and keeps it from the SDK for this run, so its own checks still end.",
    confirm:
      "kubectl exec {{pod|POD}} -n {{namespace}} -- sh -c 'ls -la {{path|~/.aws/config}}; env | grep -E ^AWS_(CONFIG|SHARED_CREDENTIALS)_FILE='",
    fix: {
      variable:
        'Point {{variable}} at a regular AWS config file or remove it (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{variable}}-`): to ship a config file, mount a ConfigMap key as a file (volumeMounts with subPath) and set {{variable}} to that path.',
      defaultPath:
        'Replace {{path}} with a regular AWS config file or remove it from the image or volume: to ship a config file, mount a ConfigMap key as a file (volumeMounts with subPath) rather than a directory or a device.',
    },
  },
  'CHAIN-SHADOWED': {
    check: 'env',
    status: 'fail',
    title: 'Another credential source shadows IRSA / Pod Identity',
    cause:
      'The SDK default chain (REFERENCE section 6) tries env keys (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, unless AWS_PROFILE is set), then the selected profile of ~/.aws/config and ~/.aws/credentials (static keys, role_arn + source_profile/credential_source, web_identity_token_file, credential_process, SSO), all before the web identity token file. Keys baked into the image or a Secret mounted as env win over IRSA; a failing profile stops the chain.',
    confirm:
      "kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.containers[*].env}'; kubectl exec {{pod}} -n {{namespace}} -- sh -c 'env | grep -E ^AWS_; ls -la ~/.aws'",
    fix: {
      envKeys:
        'Remove {{envKeys}} from the container env (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} {{envKeysUnset}}`; check envFrom Secrets too).',
      profile:
        'Remove {{profileKeys}} from profile [{{profile}}] in {{file}} (a file baked into the image or mounted from a Secret), or point {{fileVariable}} at a file without credentials.',
      unsetProfile: 'Unset AWS_PROFILE, which selects that profile.',
      restart: 'Then restart the pods.',
    },
  },
});
