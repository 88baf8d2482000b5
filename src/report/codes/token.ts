import type { CodeCatalog } from './code-info.js';

// The token-file and claim codes serve both mechanisms: details.mechanism says whether the finding is
// about the IRSA token (AWS_WEB_IDENTITY_TOKEN_FILE) or the Pod Identity token
// (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE); the message and remediation name the right one.
export const TOKEN_CODES: CodeCatalog = {
  'TOKEN-FILE-OK': {
    title: 'Token file present, readable and a JWT',
    cause: 'The projected service-account token is mounted where the env variable points.',
    confirm: 'ls -lL $AWS_WEB_IDENTITY_TOKEN_FILE',
    fix: 'None.',
  },
  'TOKEN-FILE-NOT-SET': {
    title: 'No token file variable to check',
    cause:
      'Neither AWS_WEB_IDENTITY_TOKEN_FILE nor AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is set (see the env check).',
    confirm: 'env | grep -E "AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"',
    fix: 'None by itself; follow the env check.',
  },
  'TOKEN-FILE-MISSING': {
    title: 'The token file does not exist',
    cause:
      'The variable is set but the projected volume (aws-iam-token, or eks-pod-identity-token) is not mounted in this container: the variable was set by hand or copied, the container is listed in eks.amazonaws.com/skip-containers, or its volumeMounts were overridden; or the path is wrong.',
    confirm:
      "kubectl get pod POD -n NS -o jsonpath='{.spec.volumes[*].name} {.spec.containers[*].volumeMounts}'",
    fix: 'Let the webhook add the volume and mount (remove the hand-set variable, restart the pod), or mount the projected token at /var/run/secrets/eks.amazonaws.com/serviceaccount (readOnly) without subPath.',
  },
  'TOKEN-FILE-UNREADABLE': {
    title: 'The token file cannot be read',
    cause:
      'EACCES: the kubelet writes the projected token 0600 for root unless the pod sets fsGroup (then group-readable) or all containers share one runAsUser; a non-root container cannot read it. EISDIR: the variable names the mount directory instead of the token file inside.',
    confirm: 'id; ls -lL $AWS_WEB_IDENTITY_TOKEN_FILE',
    fix: 'Add to the pod spec: securityContext: { fsGroup: 65534 } (any GID the container runs with), then restart the pod; for EISDIR point the variable at .../serviceaccount/token.',
  },
  'TOKEN-MALFORMED': {
    title: 'The token file does not hold a JWT',
    cause:
      'The file is empty, binary, larger than 64 KiB, or not header.payload.signature: a placeholder or Secret mounted at the token path, a file written by a script, or a token with line breaks.',
    confirm:
      "head -c 40 $AWS_WEB_IDENTITY_TOKEN_FILE | cut -d. -f1 | base64 -d 2>/dev/null; stat -Lc '%s bytes' $AWS_WEB_IDENTITY_TOKEN_FILE",
    fix: 'Mount the kubelet-projected serviceAccountToken volume at that path instead of whatever is there now, and restart the pod.',
  },
  'TOKEN-CLAIMS-OK': {
    title: 'Token claims look right',
    cause: "Not expired, audience as expected, subject is this pod's ServiceAccount.",
    confirm: 'cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null',
    fix: 'None.',
  },
  'TOKEN-CLAIMS-SKIPPED': {
    title: 'No token to decode',
    cause: 'The token file is missing, unreadable or malformed (see the token-file check).',
    confirm: 'See the token-file check.',
    fix: 'None by itself; follow the token-file check.',
  },
  'TOKEN-CLAIMS-INCOMPLETE': {
    title: 'The token lacks a claim STS needs',
    cause: 'iss, sub, aud or exp is missing: not a Kubernetes projected service-account token.',
    confirm: 'cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null',
    fix: 'Mount a kubelet-projected serviceAccountToken (what the webhook adds) at the token path.',
  },
  'TOKEN-EXPIRED': {
    title: 'The token is expired or not yet valid',
    cause:
      'The kubelet refreshes the projected token at 80% of its lifetime (or after 24 h); a token past exp means the kubelet cannot refresh it (node trouble, a subPath mount, a copy of the token), or the clock of the node is wrong. nbf/iat in the future means clock skew between the node and the API server. STS answers ExpiredTokenException "Token expired".',
    confirm:
      "date -u; cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null; kubectl get pod POD -n NS -o jsonpath='{.spec.nodeName}'",
    fix: 'Mount the projected volume directly (no subPath, no copy), fix the node clock (chrony/NTP), and restart the pod; applications must re-read the file rather than cache the token.',
  },
  'TOKEN-STALE': {
    title: 'The token should have been refreshed by now',
    cause:
      'The file is older than 80% of its lifetime (or 24 h) yet unchanged: a subPath mount or a copied file never refreshes; the kubelet may be failing to request new tokens.',
    confirm: 'ls -lL --time-style=full-iso $AWS_WEB_IDENTITY_TOKEN_FILE; date -u',
    fix: 'Mount the projected volume without subPath and restart the pod; check kubelet logs on the node for token request errors.',
  },
  'TOKEN-AUDIENCE': {
    title: 'The token audience is not what STS (or EKS Auth) expects',
    cause:
      'IRSA tokens need aud sts.amazonaws.com (or the audience set with eks.amazonaws.com/audience and listed as a client ID on the IAM OIDC provider); Pod Identity tokens need pods.eks.amazonaws.com. A stray eks.amazonaws.com/audience annotation or a hand-written projected volume sets another. STS answers InvalidIdentityToken "Incorrect token audience".',
    confirm:
      "kubectl get sa SA -n NS -o jsonpath='{.metadata.annotations}'; aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN --query ClientIDList",
    fix: 'kubectl annotate sa SA -n NS eks.amazonaws.com/audience- (back to sts.amazonaws.com) and restart the pods; or add the audience to the provider: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ARN --client-id AUDIENCE, and to the trust policy :aud condition.',
  },
  'TOKEN-SUBJECT': {
    title: "The token is not this pod's ServiceAccount",
    cause:
      'sub is not system:serviceaccount:NS:SA of the pod: a token file copied or mounted from another ServiceAccount, or a sub that disagrees with the kubernetes.io claim. The role trust policy conditions on :sub, so STS answers AccessDenied.',
    confirm:
      "kubectl get pod POD -n NS -o jsonpath='{.spec.serviceAccountName}'; cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null",
    fix: "Use the projected token the webhook mounts for the pod's own ServiceAccount (remove hand-made token volumes or copies), and put that SA in the trust policy condition oidc.eks.REGION.amazonaws.com/id/ID:sub = system:serviceaccount:NS:SA.",
  },
};
