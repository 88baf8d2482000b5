import { defineCodes } from './define.js';

const METADATA_OPTIONS =
  'aws ec2 describe-instances --instance-ids {{instance}} --query "Reservations[].Instances[].MetadataOptions" (HttpTokens, HttpPutResponseHopLimit)';

export const IMDS_CODES = defineCodes({
  'IMDS-BLOCKED': {
    check: 'imds',
    status: 'pass',
    title: 'Pods cannot get credentials from IMDS',
    cause:
      'Neither an IMDSv2 token PUT nor an IMDSv1 GET answered usefully from the pod: hop limit 1 with HttpTokens required, a NetworkPolicy / iptables rule, or no IMDS at all.',
    confirm: `kubectl exec {{pod}} -n {{namespace}} -- curl -s -m 2 -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"; ${METADATA_OPTIONS}`,
  },
  'IMDS-UNDETERMINED': {
    check: 'imds',
    status: 'warn',
    title: 'Whether IMDS answers pods is not determined',
    cause:
      "The probe could not tell: it timed out while this process was starved (a busy node, too little CPU for the pod: the answer may have arrived unread), the run's deadline left less than the SDK's own 1 s to wait, something answers at the metadata address but not like IMDS (a proxy, another service), or AWS_EC2_METADATA_SERVICE_ENDPOINT is no http(s) URL. A security check does not pass on a timeout it cannot attribute.",
    confirm: `kubectl exec {{pod}} -n {{namespace}} -- curl -s -m 2 -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"; ${METADATA_OPTIONS}`,
    fix: {
      starved:
        'Run the check again when the node is less busy (`kubectl top node`), or give the agent more CPU; a blocked IMDS shows as a PUT that connects and never gets an answer, on an idle process.',
      shortBudget:
        'Run the check again with a larger --timeout, so the probe can wait {{sdkTimeoutMs}} ms as the SDK does.',
      notImds:
        "Find what answers at {{endpoint}} in IMDS's place: AWS_EC2_METADATA_SERVICE_ENDPOINT, an HTTP proxy without 169.254.169.254 in NO_PROXY, or a service on the node; then run the check again.",
      endpointInvalid:
        'Set AWS_EC2_METADATA_SERVICE_ENDPOINT to an http URL (default http://169.254.169.254) or remove it from the pod spec, then run the check again.',
    },
  },
  'IMDS-REACHABLE': {
    check: 'imds',
    status: 'warn',
    title: 'IMDS answers pods',
    cause:
      "The node's metadata options allow a hop limit of 2 or more (or the pod uses hostNetwork), so any process in the pod can get an IMDSv2 token and the node role credentials; when IRSA breaks, the SDK silently runs as the node role.",
    confirm: METADATA_OPTIONS,
    fix: 'Set the node metadata hop limit to 1: `aws ec2 modify-instance-metadata-options --instance-id {{instance}} --http-put-response-hop-limit 1` (and in the node group launch template), or add a NetworkPolicy denying egress to 169.254.169.254/32; for this application alone set env AWS_EC2_METADATA_DISABLED=true.',
  },
  'IMDS-V1-REACHABLE': {
    check: 'imds',
    status: 'warn',
    title: 'IMDSv1 answers pods',
    cause:
      'The node allows IMDSv1 (HttpTokens optional). A v1 GET needs no session token, so the hop limit does not stop it: any SSRF or plain curl in the pod reads the node role credentials, and the SDK falls back to v1 after its token PUT times out, so a pod with broken IRSA runs as the node role without a visible error.',
    confirm: `kubectl exec {{pod}} -n {{namespace}} -- curl -s -m 2 http://169.254.169.254/latest/meta-data/iam/security-credentials/; ${METADATA_OPTIONS}`,
    fix: 'Require IMDSv2 on the nodes: `aws ec2 modify-instance-metadata-options --instance-id {{instance}} --http-tokens required --http-put-response-hop-limit 1` (and in the node group launch template: MetadataOptions HttpTokens=required), or add a NetworkPolicy denying egress to 169.254.169.254/32.',
  },
  'IMDS-SDK-DISABLED': {
    check: 'imds',
    status: 'info',
    title: 'The SDK is told not to use IMDS',
    cause:
      'AWS_EC2_METADATA_DISABLED is set (not "false"): AWS SDKs in this container skip IMDS; other processes and the network path are unaffected.',
    confirm: 'env | grep AWS_EC2_METADATA',
  },
});
