import type { CodeCatalog } from './code-info.js';

const METADATA_OPTIONS =
  'aws ec2 describe-instances --instance-ids INSTANCE --query "Reservations[].Instances[].MetadataOptions" (HttpTokens, HttpPutResponseHopLimit)';

export const IMDS_CODES: CodeCatalog = {
  'IMDS-BLOCKED': {
    title: 'Pods cannot get credentials from IMDS',
    cause:
      'Neither an IMDSv2 token PUT nor an IMDSv1 GET answered usefully from the pod: hop limit 1 with HttpTokens required, a NetworkPolicy / iptables rule, or no IMDS at all.',
    confirm: `kubectl exec POD -n NS -- curl -s -m 2 -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"; ${METADATA_OPTIONS}`,
    fix: 'None.',
  },
  'IMDS-REACHABLE': {
    title: 'IMDSv2 answers pods',
    cause:
      "The node's metadata options allow a hop limit of 2 or more (or the pod uses hostNetwork), so any process in the pod can get an IMDSv2 token and the node role credentials; when IRSA breaks, the SDK silently runs as the node role.",
    confirm: METADATA_OPTIONS,
    fix: 'aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-put-response-hop-limit 1 (set it in the node group launch template), or a NetworkPolicy denying egress to 169.254.169.254/32; for the application alone, env AWS_EC2_METADATA_DISABLED=true.',
  },
  'IMDS-V1-REACHABLE': {
    title: 'IMDSv1 answers pods',
    cause:
      'The node allows IMDSv1 (HttpTokens optional). A v1 GET needs no session token, so the hop limit does not stop it: any SSRF or plain curl in the pod reads the node role credentials, and the SDK falls back to v1 after its token PUT times out, so a pod with broken IRSA runs as the node role without a visible error.',
    confirm: `kubectl exec POD -n NS -- curl -s -m 2 http://169.254.169.254/latest/meta-data/iam/security-credentials/; ${METADATA_OPTIONS}`,
    fix: 'aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-tokens required --http-put-response-hop-limit 1 (and in the node group launch template), or a NetworkPolicy denying egress to 169.254.169.254/32.',
  },
  'IMDS-SDK-DISABLED': {
    title: 'The SDK is told not to use IMDS',
    cause:
      'AWS_EC2_METADATA_DISABLED is set (not "false"): AWS SDKs in this container skip IMDS; other processes and the network path are unaffected.',
    confirm: 'env | grep AWS_EC2_METADATA',
    fix: 'None.',
  },
};
