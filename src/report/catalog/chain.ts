import { defineCodes } from './define.js';

const BLOCK_IMDS =
  'block IMDS for pods: `aws ec2 modify-instance-metadata-options --instance-id {{instance}} --http-put-response-hop-limit 1 --http-tokens required` (and in the node group launch template), or a NetworkPolicy denying egress to 169.254.169.254/32';

export const CHAIN_CODES = defineCodes({
  'CHAIN-SOURCE': {
    check: 'chain',
    status: 'info',
    title: 'Which credential source the SDK default chain uses',
    cause:
      'The AWS SDK default chain (env keys -> SSO -> shared config -> credential_process -> web identity token file -> container credentials / IMDS) resolved credentials; the finding names the provider that won and the identity GetCallerIdentity returns.',
    confirm:
      'aws sts get-caller-identity from inside the pod (kubectl exec {{pod}} -n {{namespace}} -- aws sts get-caller-identity)',
  },
  'CHAIN-IMDS-FALLBACK': {
    check: 'chain',
    status: 'fail',
    title: 'The application would run as the node role',
    cause:
      'No IRSA / Pod Identity credentials won, and the chain fell through to the instance metadata service, which handed out the node instance role: IRSA is not injected or broken (see the env and sts findings) and IMDS is reachable from pods (hop limit 2, or IMDSv1 allowed so the SDK falls back after the token PUT times out).',
    confirm:
      'kubectl exec {{pod}} -n {{namespace}} -- aws sts get-caller-identity (shows assumed-role/NodeInstanceRole/i-...); aws ec2 describe-instances --instance-ids {{instance}} --query "Reservations[].Instances[].MetadataOptions"',
    fix: `Repair the IRSA cause first (the env check: ServiceAccount annotation eks.amazonaws.com/role-arn, webhook injection, restart the pod), AND ${BLOCK_IMDS}, so a broken IRSA setup fails loudly instead of silently using node credentials.`,
  },
  'CHAIN-NO-CREDENTIALS': {
    check: 'chain',
    status: 'fail',
    title: 'The SDK default chain finds no credentials',
    cause:
      '"Could not load credentials from any providers": no IRSA/Pod Identity variables, no keys or profiles, and IMDS is blocked or disabled (AWS_EC2_METADATA_DISABLED); or a configured mechanism gave nothing and the chain moved on: the Pod Identity agent answered 400/403, or only half of the IRSA variables is set. The application fails on its first AWS call.',
    confirm: 'env | grep ^AWS_; kubectl get sa {{serviceAccount}} -n {{namespace}} -o yaml',
    fix: {
      nothingConfigured:
        'Give the pod an identity: annotate its ServiceAccount (`kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME`) or create an EKS Pod Identity association (`aws eks create-pod-identity-association --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}} --role-arn {{roleArn}}`), then restart the pod. The env check names what is missing.',
      podIdentity:
        'EKS Pod Identity is configured but the agent handed out no credentials: fix what the pod-identity check reports (PODID-BAD-REQUEST, PODID-ACCESS-DENIED, PODID-ERROR).',
      irsa: 'IRSA is configured but the web identity step gave no credentials: fix what the sts check reports.',
      halfIrsa:
        'Only half of IRSA is set, so the SDK skips it: fix what the env check reports (ENV-PARTIAL / ENV-NOT-INJECTED: remove the hand-set variable and let the webhook inject both).',
      other: 'Address what the env, sts and pod-identity checks report.',
      sameChain: "The application's SDK hits the same empty chain.",
    },
  },
  'CHAIN-OTHER-IDENTITY': {
    check: 'chain',
    status: 'fail',
    title: 'The default chain runs as another identity',
    cause:
      'A source earlier in the chain than the web identity token (static AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile in ~/.aws or AWS_CONFIG_FILE, credential_process) wins, so the application does not use the IRSA / Pod Identity role (the env check names the source: CHAIN-SHADOWED); or STS answered the web identity exchange for another identity.',
    confirm:
      'env | grep -E "AWS_(ACCESS_KEY_ID|PROFILE|SHARED_CREDENTIALS_FILE|CONFIG_FILE)"; cat ~/.aws/config ~/.aws/credentials',
    fix: {
      stsAnsweredOther:
        'STS answered the web identity exchange for another identity: see the identity check (IDENTITY-MISMATCH); unset or correct AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL and any HTTPS proxy in front of STS, and make the ServiceAccount annotation eks.amazonaws.com/role-arn name the role the application needs, then restart the pod.',
      shadowsIrsa:
        "Remove the source that shadows the web identity token (the env check's CHAIN-SHADOWED finding names it): unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_PROFILE in the pod spec and envFrom Secrets (`kubectl set env {{workload|deployment/NAME}} -n {{namespace}} AWS_ACCESS_KEY_ID- AWS_SECRET_ACCESS_KEY- AWS_PROFILE-`), remove ~/.aws files baked into the image, then restart the pod.",
      shadowsPodIdentity:
        "Remove the source that shadows container credentials (the env check's CHAIN-SHADOWED finding names it): unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_PROFILE in the pod spec, remove ~/.aws files baked into the image, then restart the pod.",
    },
  },
  'CHAIN-FAILED': {
    check: 'chain',
    status: 'fail',
    title: 'The SDK default chain fails',
    cause:
      'The provider the chain picked threw: for IRSA the same STS error the sts check reports (trust policy, OIDC provider, unreachable STS), for Pod Identity an agent error; or the chain did not finish before its deadline; or the token file it would read is no usable file (a FIFO, a device, a huge file: details.tokenFile), so it was not run at all because the SDK would hang or exhaust memory on it.',
    confirm: 'kubectl exec {{pod}} -n {{namespace}} -- aws sts get-caller-identity --debug',
    fix: {
      podIdentityUnreachable:
        "Fix the cause reported by the pod-identity check (PODID-UNREACHABLE); the application's SDK hits the same error.",
      tokenFileNamed:
        "Fix the cause reported by the token-file check ({{envVar}} names no usable token file); the application's SDK hits the same error.",
      tokenFileUnreadable:
        "Fix the cause reported by the token-file check (the SDK could not read the token file); the application's SDK hits the same error.",
      sts: "Remove the cause the sts check reports ({{cause}}); the application's SDK hits the same error.",
      other:
        "Fix the cause reported by the sts / pod-identity checks; the application's SDK hits the same error.",
    },
  },
  'CHAIN-UNVERIFIED': {
    check: 'chain',
    status: 'warn',
    title: "The chain's identity could not be confirmed",
    cause:
      'Credentials resolved, but GetCallerIdentity with them failed (STS unreachable, clock skew, expired or revoked credentials).',
    confirm: 'aws sts get-caller-identity --debug from the pod',
    fix: 'Allow egress from the pod to the STS endpoint (NetworkPolicy, security group, NO_PROXY) and check the node clock (NTP); the sts check has the details.',
  },
});
