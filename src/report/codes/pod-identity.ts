import type { CodeCatalog } from './code-info.js';

const AGENT_CONFIRM =
  'kubectl get ds eks-pod-identity-agent -n kube-system; aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace NS --service-account SA';

export const POD_IDENTITY_CODES: CodeCatalog = {
  'PODID-OK': {
    title: 'The Pod Identity agent hands out role credentials',
    cause:
      'GET AWS_CONTAINER_CREDENTIALS_FULL_URI with the projected token returned credentials and GetCallerIdentity names the role.',
    confirm: AGENT_CONFIRM,
    fix: 'None.',
  },
  'PODID-SKIPPED': {
    title: 'Pod Identity is not configured in this container',
    cause: 'AWS_CONTAINER_CREDENTIALS_FULL_URI is unset.',
    confirm: 'env | grep AWS_CONTAINER_',
    fix: 'None (create a Pod Identity association to use it).',
  },
  'PODID-BAD-REQUEST': {
    title: 'The Pod Identity agent rejected the request (400)',
    cause:
      'The agent answers 400 when the Authorization token is missing or unparseable: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is empty or not the projected eks-pod-identity-token, or an old SDK sent no token.',
    confirm:
      'ls -l "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"; kubectl logs -n kube-system ds/eks-pod-identity-agent',
    fix: 'Let the EKS Pod Identity webhook inject AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and its projected volume (do not set them by hand), restart the pod, and use an SDK version that supports EKS Pod Identity.',
  },
  'PODID-ACCESS-DENIED': {
    title: 'EKS Auth refused the credentials (403)',
    cause:
      'The agent answers 403 "Access Denied" when EKS Auth refuses: no association for this namespace/ServiceAccount (or it was deleted), or the role trust policy does not allow principal pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.',
    confirm: `${AGENT_CONFIRM}; aws iam get-role --role-name ROLE_NAME --query Role.AssumeRolePolicyDocument`,
    fix: 'Create the association (aws eks create-pod-identity-association --cluster-name CLUSTER --namespace NS --service-account SA --role-arn ROLE_ARN) and give the role a trust statement {"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}.',
  },
  'PODID-UNREACHABLE': {
    title: 'The Pod Identity agent does not answer',
    cause:
      'No HTTP answer from 169.254.170.23 (or [fd00:ec2::23]): the eks-pod-identity-agent add-on is not running on the node, an egress NetworkPolicy blocks it, HTTP_PROXY is set without 169.254.170.23 in NO_PROXY, or the pod uses hostNetwork.',
    confirm: `${AGENT_CONFIRM}; env | grep -i _proxy; kubectl get networkpolicy -n NS`,
    fix: 'Install/repair the eks-pod-identity-agent add-on, allow egress to 169.254.170.23/32 port 80 in NetworkPolicies, add 169.254.170.23,[fd00:ec2::23] to NO_PROXY, and do not use hostNetwork for this pod.',
  },
  'PODID-URI-REJECTED': {
    title: 'The SDK refuses the container credentials URI',
    cause:
      'The SDK accepts only HTTPS, loopback, 169.254.170.2 and 169.254.170.23/[fd00:ec2::23]. Older SDKs that predate Pod Identity fail with "169.254.170.23 is not a valid container metadata service hostname".',
    confirm:
      "echo $AWS_CONTAINER_CREDENTIALS_FULL_URI; check the application's AWS SDK version against the EKS Pod Identity supported versions list",
    fix: 'Upgrade the application SDK to a version that supports EKS Pod Identity, and keep the webhook-injected AWS_CONTAINER_CREDENTIALS_FULL_URI unchanged.',
  },
  'PODID-TOKEN-UNREADABLE': {
    title: 'The Pod Identity token file cannot be read',
    cause:
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is unset, missing or unreadable (projected volume missing, or a non-root container without fsGroup).',
    confirm: 'ls -l "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"; id',
    fix: 'Let the webhook inject the eks-pod-identity-token volume; for non-root containers set securityContext.fsGroup; restart the pod.',
  },
  'PODID-ERROR': {
    title: 'The Pod Identity agent answered with an error',
    cause: 'An unexpected status or body from the agent (5xx while EKS Auth is unavailable, a proxy page).',
    confirm: 'kubectl logs -n kube-system ds/eks-pod-identity-agent',
    fix: 'Act on the status and message in the finding; retry after the agent recovers.',
  },
  'PODID-IDENTITY-UNVERIFIED': {
    title: 'Pod Identity credentials could not be confirmed with STS',
    cause:
      'The agent returned credentials but GetCallerIdentity with them failed (STS unreachable, clock skew).',
    confirm: 'aws sts get-caller-identity --debug from the pod',
    fix: 'Act on the STS error in the finding.',
  },
};
