import { defineCodes } from './define.js';

const AGENT_CONFIRM =
  'kubectl get ds eks-pod-identity-agent -n kube-system; aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}';
const NETWORK_PATH =
  'Allow egress to 169.254.170.23/32 port 80 in NetworkPolicies (`kubectl get networkpolicy -n {{namespace}}`), add 169.254.170.23 to NO_PROXY if HTTP_PROXY is set, and do not run this pod with hostNetwork.';

export const POD_IDENTITY_CODES = defineCodes({
  'PODID-OK': {
    check: 'pod-identity',
    status: 'pass',
    title: 'The Pod Identity agent hands out role credentials',
    cause:
      'GET AWS_CONTAINER_CREDENTIALS_FULL_URI with the projected token returned credentials and GetCallerIdentity names the role.',
    confirm: AGENT_CONFIRM,
  },
  'PODID-SKIPPED': {
    check: 'pod-identity',
    status: 'skip',
    title: 'Pod Identity is not configured in this container',
    cause: 'AWS_CONTAINER_CREDENTIALS_FULL_URI is unset.',
    confirm: 'env | grep AWS_CONTAINER_',
  },
  'PODID-BAD-REQUEST': {
    check: 'pod-identity',
    status: 'fail',
    title: 'The Pod Identity agent rejected the request (400)',
    cause:
      'The agent answers 400 when the Authorization token is missing or unparseable: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is empty or not the projected eks-pod-identity-token, or an old SDK sent no token.',
    confirm:
      'ls -l "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"; kubectl logs -n kube-system ds/eks-pod-identity-agent',
    fix: 'Use the token the EKS Pod Identity webhook projects: do not set AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_CREDENTIALS_FULL_URI by hand, check the eks-pod-identity-token projected volume is mounted, restart the pod, and use an AWS SDK version that supports EKS Pod Identity.',
  },
  'PODID-ACCESS-DENIED': {
    check: 'pod-identity',
    status: 'fail',
    title: 'EKS Auth refused the credentials (403)',
    cause:
      'The agent answers 403 "Access Denied" when EKS Auth refuses: no association for this namespace/ServiceAccount (or it was deleted), or the role trust policy does not allow principal pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.',
    confirm: `${AGENT_CONFIRM}; aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument`,
    fix: 'Check the association exists for this namespace and ServiceAccount (`aws eks list-pod-identity-associations --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}}`; create it with `aws eks create-pod-identity-association --cluster-name {{cluster}} --namespace {{namespace}} --service-account {{serviceAccount}} --role-arn {{roleArn}}`) and that the role trust policy allows `{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}` (`aws iam get-role --role-name {{roleName}} --query Role.AssumeRolePolicyDocument`).',
  },
  'PODID-UNREACHABLE': {
    check: 'pod-identity',
    status: 'fail',
    title: 'The Pod Identity agent does not answer',
    cause:
      'No HTTP answer from 169.254.170.23 (or [fd00:ec2::23]): the eks-pod-identity-agent add-on is not running on the node, an egress NetworkPolicy blocks it, HTTP_PROXY is set without 169.254.170.23 in NO_PROXY, or the pod uses hostNetwork.',
    confirm: `${AGENT_CONFIRM}; env | grep -i _proxy; kubectl get networkpolicy -n {{namespace}}`,
    fix: {
      silent: `Something accepts the connection but never answers: usually an HTTP proxy. Add 169.254.170.23,[fd00:ec2::23] to NO_PROXY/no_proxy. ${NETWORK_PATH}`,
      noAnswer: `Check the agent runs on this node (\`kubectl get ds eks-pod-identity-agent -n kube-system\`; \`aws eks describe-addon --cluster-name {{cluster}} --addon-name eks-pod-identity-agent\`). ${NETWORK_PATH}`,
    },
  },
  'PODID-URI-REJECTED': {
    check: 'pod-identity',
    status: 'fail',
    title: 'The SDK refuses the container credentials URI',
    cause:
      'The SDK accepts only HTTPS, loopback, 169.254.170.2 and 169.254.170.23/[fd00:ec2::23]. Older SDKs that predate Pod Identity fail with "169.254.170.23 is not a valid container metadata service hostname".',
    confirm:
      "echo $AWS_CONTAINER_CREDENTIALS_FULL_URI; check the application's AWS SDK version against the EKS Pod Identity supported versions list",
    fix: 'Leave AWS_CONTAINER_CREDENTIALS_FULL_URI as the webhook injects it (http://169.254.170.23/v1/credentials); if the application reports "169.254.170.23 is not a valid container metadata service hostname", upgrade its AWS SDK to a version that supports EKS Pod Identity.',
  },
  'PODID-TOKEN-UNREADABLE': {
    check: 'pod-identity',
    status: 'fail',
    title: 'The Pod Identity token file cannot be read',
    cause:
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is unset, missing or unreadable (projected volume missing, or a non-root container without fsGroup).',
    confirm: 'ls -l "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"; id',
    fix: 'Let the EKS Pod Identity webhook inject AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and the eks-pod-identity-token projected volume (do not set them by hand); a non-root container needs securityContext.fsGroup to read it. Restart the pod.',
  },
  'PODID-ERROR': {
    check: 'pod-identity',
    status: 'fail',
    title: 'The Pod Identity agent answered with an error',
    cause:
      "An unexpected status or body from the agent (5xx while EKS Auth is unavailable, a proxy page), or an answer that is not the agent's at all: a body far larger than its few hundred bytes, not its JSON, or credentials already expired (details.error says which).",
    confirm: 'kubectl logs -n kube-system ds/eks-pod-identity-agent',
    fix: {
      status:
        'Check the agent: `kubectl logs -n kube-system ds/eks-pod-identity-agent`; a 5xx usually means EKS Auth was unreachable from the node, retry after it recovers.',
      notTheAgent:
        'What answers at {{uri}} is not the EKS Pod Identity agent (its answers are small JSON documents with fresh credentials): check HTTP_PROXY/http_proxy and that 169.254.170.23 is in NO_PROXY, that AWS_CONTAINER_CREDENTIALS_FULL_URI is the one the webhook injects (http://169.254.170.23/v1/credentials), and what listens there.',
      other:
        'Check the agent (`kubectl logs -n kube-system ds/eks-pod-identity-agent`) and the response it gives: `kubectl exec {{pod}} -n {{namespace}} -- curl -s -H "Authorization: $(cat $AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)" $AWS_CONTAINER_CREDENTIALS_FULL_URI -o /dev/null -w "%{http_code}"`.',
    },
  },
  'PODID-IDENTITY-UNVERIFIED': {
    check: 'pod-identity',
    status: 'warn',
    title: 'Pod Identity credentials could not be confirmed with STS',
    cause:
      'The agent returned credentials but GetCallerIdentity with them failed (STS unreachable, clock skew).',
    confirm: 'aws sts get-caller-identity --debug from the pod',
    fix: 'Allow egress from the pod to the STS endpoint (NetworkPolicy, security group, NO_PROXY) and check the node clock (NTP).',
  },
});
