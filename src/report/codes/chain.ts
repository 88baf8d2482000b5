import type { CodeCatalog } from './code-info.js';

export const CHAIN_CODES: CodeCatalog = {
  'CHAIN-SOURCE': {
    title: 'Which credential source the SDK default chain uses',
    cause:
      'The AWS SDK default chain (env keys -> SSO -> shared config -> credential_process -> web identity token file -> container credentials / IMDS) resolved credentials; the finding names the provider that won and the identity GetCallerIdentity returns.',
    confirm:
      'aws sts get-caller-identity from inside the pod (kubectl exec POD -n NS -- aws sts get-caller-identity)',
    fix: 'None.',
  },
  'CHAIN-IMDS-FALLBACK': {
    title: 'The application would run as the node role',
    cause:
      'No IRSA / Pod Identity credentials won, and the chain fell through to the instance metadata service, which handed out the node instance role: IRSA is not injected or broken (see the env and sts findings) and IMDS is reachable from pods (hop limit 2, or IMDSv1 allowed so the SDK falls back after the token PUT times out).',
    confirm:
      'kubectl exec POD -n NS -- aws sts get-caller-identity (shows assumed-role/NodeInstanceRole/i-...); aws ec2 describe-instances --instance-ids INSTANCE --query "Reservations[].Instances[].MetadataOptions"',
    fix: 'Fix the IRSA cause the env/sts findings name, AND block IMDS for pods: aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-put-response-hop-limit 1 --http-tokens required (or the launch template), or a NetworkPolicy denying egress to 169.254.169.254/32.',
  },
  'CHAIN-NO-CREDENTIALS': {
    title: 'The SDK default chain finds no credentials',
    cause:
      '"Could not load credentials from any providers": no IRSA/Pod Identity variables, no keys or profiles, and IMDS is blocked or disabled (AWS_EC2_METADATA_DISABLED); or a configured mechanism gave nothing and the chain moved on: the Pod Identity agent answered 400/403, or only half of the IRSA variables is set. The application fails on its first AWS call.',
    confirm: 'env | grep ^AWS_; kubectl get sa SA -n NS -o yaml',
    fix: 'With nothing configured: annotate the ServiceAccount with eks.amazonaws.com/role-arn (IRSA) or create a Pod Identity association, then restart the pod. With a mechanism configured (details.mechanism): fix what the pod-identity, sts or env finding reports.',
  },
  'CHAIN-OTHER-IDENTITY': {
    title: 'The default chain runs as another identity',
    cause:
      'A source earlier in the chain than the web identity token (static AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile in ~/.aws or AWS_CONFIG_FILE, credential_process) wins, so the application does not use the IRSA / Pod Identity role. The env check names the source (CHAIN-SHADOWED).',
    confirm:
      'env | grep -E "AWS_(ACCESS_KEY_ID|PROFILE|SHARED_CREDENTIALS_FILE|CONFIG_FILE)"; cat ~/.aws/config ~/.aws/credentials',
    fix: 'Remove the shadowing source: unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_PROFILE in the pod spec (and envFrom Secrets), remove baked-in ~/.aws files; restart the pod.',
  },
  'CHAIN-FAILED': {
    title: 'The SDK default chain fails',
    cause:
      'The provider the chain picked threw: for IRSA the same STS error the sts check reports (trust policy, OIDC provider, unreachable STS), for Pod Identity an agent error; or the chain did not finish before its deadline; or the token file it would read is no usable file (a FIFO, a device, a huge file: details.tokenFile), so it was not run at all because the SDK would hang or exhaust memory on it.',
    confirm: 'kubectl exec POD -n NS -- aws sts get-caller-identity --debug',
    fix: 'Fix the cause named by the sts, pod-identity or token-file finding.',
  },
  'CHAIN-UNVERIFIED': {
    title: "The chain's identity could not be confirmed",
    cause:
      'Credentials resolved, but GetCallerIdentity with them failed (STS unreachable, clock skew, expired or revoked credentials).',
    confirm: 'aws sts get-caller-identity --debug from the pod',
    fix: 'Act on the STS error in the finding (network path to STS, node clock).',
  },
};
