import { defineCodes } from './define.js';

// The token-file and claim codes serve both mechanisms: details.mechanism says whether the finding is
// about the IRSA token (AWS_WEB_IDENTITY_TOKEN_FILE) or the Pod Identity token
// (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE); the message and fix name the right one.
const REPROJECT =
  'Mount the kubelet-projected serviceAccountToken volume ({{volume|aws-iam-token}}) at {{mountDir|/var/run/secrets/eks.amazonaws.com/serviceaccount}} instead of whatever file is there now, and restart the pod.';

export const TOKEN_CODES = defineCodes({
  'TOKEN-FILE-OK': {
    check: 'token-file',
    status: 'pass',
    title: 'Token file present, readable and a JWT',
    cause: 'The projected service-account token is mounted where the env variable points.',
    confirm: 'ls -lL $AWS_WEB_IDENTITY_TOKEN_FILE',
  },
  'TOKEN-FILE-NOT-SET': {
    check: 'token-file',
    status: 'skip',
    title: 'No token file variable to check',
    cause:
      'Neither AWS_WEB_IDENTITY_TOKEN_FILE nor AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is set (see the env check).',
    confirm: 'env | grep -E "AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"',
  },
  'TOKEN-FILE-MISSING': {
    check: 'token-file',
    status: 'fail',
    title: 'The token file does not exist',
    cause:
      'The variable is set but the projected volume (aws-iam-token, or eks-pod-identity-token) is not mounted in this container: the variable was set by hand or copied, the container is listed in eks.amazonaws.com/skip-containers, or its volumeMounts were overridden; or the path is wrong.',
    confirm:
      "kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.volumes[*].name} {.spec.containers[*].volumeMounts}'",
    fix: 'The projected volume is not mounted in this container. Let the webhook inject it: remove {{envVar|AWS_WEB_IDENTITY_TOKEN_FILE}} if the container sets it by hand, make sure the container is not listed in the pod annotation eks.amazonaws.com/skip-containers, and restart the pod. If you mount it yourself, the container needs volumeMounts: [{ name: {{volume|aws-iam-token}}, mountPath: {{mountDir|/var/run/secrets/eks.amazonaws.com/serviceaccount}}, readOnly: true }] (no subPath: a subPath mount never refreshes) and {{envVar|AWS_WEB_IDENTITY_TOKEN_FILE}} must point at the file inside.',
  },
  'TOKEN-FILE-UNREADABLE': {
    check: 'token-file',
    status: 'fail',
    title: 'The token file cannot be read',
    cause:
      'EACCES: the kubelet writes the projected token 0600 for root unless the pod sets fsGroup (then group-readable) or all containers share one runAsUser; a non-root container cannot read it. EISDIR: the variable names the mount directory instead of the token file inside.',
    confirm: 'id; ls -lL $AWS_WEB_IDENTITY_TOKEN_FILE',
    fix: {
      directory:
        'Point {{envVar|AWS_WEB_IDENTITY_TOKEN_FILE}} at the token file inside the mount, e.g. {{mountDir|/var/run/secrets/eks.amazonaws.com/serviceaccount}}/{{file|token}}.',
      permission:
        "The kubelet writes the projected token readable by root only unless the pod says otherwise. Set the pod's securityContext.fsGroup to a GID the container runs with (e.g. 65534; the kubelet then makes the token group-readable), or run every container with the same `runAsUser` so the kubelet chowns the token to it; then restart the pod.",
    },
  },
  'TOKEN-MALFORMED': {
    check: 'token-file',
    status: 'fail',
    title: 'The token file does not hold a signed JWT',
    cause:
      'The file is empty, binary, larger than 64 KiB, or not header.payload.signature with a JSON object in the header and the payload; or its header says alg "none" (unsigned): a placeholder or Secret mounted at the token path, a file written by a script, a hand-made token, or a token with line breaks.',
    confirm:
      "head -c 40 $AWS_WEB_IDENTITY_TOKEN_FILE | cut -d. -f1 | base64 -d 2>/dev/null; stat -Lc '%s bytes' $AWS_WEB_IDENTITY_TOKEN_FILE",
    fix: REPROJECT,
  },
  'TOKEN-CLAIMS-OK': {
    check: 'token-claims',
    status: 'pass',
    title: 'Token claims look right',
    cause: "Not expired, audience as expected, subject is this pod's ServiceAccount.",
    confirm: 'cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null',
  },
  'TOKEN-CLAIMS-SKIPPED': {
    check: 'token-claims',
    status: 'skip',
    title: 'No token to decode',
    cause:
      'No token file variable is set, or the token file is missing, unreadable or malformed (see the token-file check).',
    confirm: 'See the token-file check.',
  },
  'TOKEN-CLAIMS-INCOMPLETE': {
    check: 'token-claims',
    status: 'fail',
    title: 'The token lacks a claim STS needs, or has one STS cannot read',
    cause:
      'iss, sub, aud or exp is missing, or present in a form no token issuer writes (exp as a string, a date past the year 275760, aud without a string; details.unusable says which): not a Kubernetes projected service-account token.',
    confirm: 'cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null',
    fix: 'Mount the kubelet-projected serviceAccountToken volume the webhook adds at the token path, and restart the pod.',
  },
  'TOKEN-EXPIRED': {
    check: 'token-claims',
    status: 'fail',
    title: 'The token is expired or not yet valid',
    cause:
      'The kubelet refreshes the projected token at 80% of its lifetime (or after 24 h); a token past exp means the kubelet cannot refresh it (node trouble, a subPath mount, a copy of the token), or the clock of the node is wrong. nbf/iat in the future means clock skew between the node and the API server. STS answers ExpiredTokenException "Token expired".',
    confirm:
      "date -u; cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null; kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.nodeName}'",
    fix: {
      expired:
        'The kubelet rewrites the projected token at 80% of its lifetime (or after 24 h), so an expired file means it is not being refreshed: mount the projected volume directly (no subPath, no copied file), check the node clock (chrony/NTP) and kubelet logs, and restart the pod. Applications must re-read the file, not cache the token.',
      notYetValid:
        'Fix clock skew: make the node sync time (chrony/NTP, Amazon Time Sync 169.254.169.123) and restart the pod; STS rejects tokens that are not yet valid.',
    },
  },
  'TOKEN-STALE': {
    check: 'token-claims',
    status: 'warn',
    title: 'The token should have been refreshed by now',
    cause:
      'The file is older than 80% of its lifetime (or 24 h) yet unchanged: a subPath mount or a copied file never refreshes; the kubelet may be failing to request new tokens.',
    confirm: 'ls -lL --time-style=full-iso $AWS_WEB_IDENTITY_TOKEN_FILE; date -u',
    fix: 'Mount the projected volume without subPath (subPath mounts and copied files never refresh), check the kubelet on the node for token request errors, and restart the pod.',
  },
  'TOKEN-AUDIENCE': {
    check: 'token-claims',
    status: 'fail',
    title: 'The token audience is not what STS (or EKS Auth) expects',
    cause:
      'IRSA tokens need aud sts.amazonaws.com (or the audience set with eks.amazonaws.com/audience and listed as a client ID on the IAM OIDC provider); Pod Identity tokens need pods.eks.amazonaws.com. A stray eks.amazonaws.com/audience annotation or a hand-written projected volume sets another. STS answers InvalidIdentityToken "Incorrect token audience".',
    confirm:
      "kubectl get sa {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; aws iam get-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --query ClientIDList",
    fix: {
      irsa: 'The webhook projects the token with the ServiceAccount annotation eks.amazonaws.com/audience (default sts.amazonaws.com). Either remove that annotation (`kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/audience-`) or correct it (`kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/audience={{expected|sts.amazonaws.com}} --overwrite`) and restart the pods, or, if {{audience}} is intended, add it as a client ID of the IAM OIDC provider (`aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {{providerArn}} --client-id {{audience}}`), use it in the trust policy :aud condition, and run with --audience {{audience}}.',
      podIdentity:
        'The EKS Pod Identity webhook projects this token with audience pods.eks.amazonaws.com: remove any hand-written eks-pod-identity-token volume from the pod spec and restart the pod.',
    },
  },
  'TOKEN-SUBJECT': {
    check: 'token-claims',
    status: 'fail',
    title: "The token is not this pod's ServiceAccount",
    cause:
      'sub is not system:serviceaccount:NS:SA of the pod: a token file copied or mounted from another ServiceAccount, or a sub that disagrees with the kubernetes.io claim. The role trust policy conditions on :sub, so STS answers AccessDenied.',
    confirm:
      "kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.serviceAccountName}'; cut -d. -f2 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d 2>/dev/null",
    fix: 'Use the token the webhook projects for the pod\'s own ServiceAccount: remove any hand-made token volume, copied token file or {{envVar|AWS_WEB_IDENTITY_TOKEN_FILE}} override from the pod spec, and restart the pod. The role\'s trust policy must name that ServiceAccount: "{{issuerHost|ISSUER_HOST}}:sub": "{{subject|system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT}}".',
  },
});
