import type { CodeCatalog } from './code-info.js';

export const OIDC_CODES: CodeCatalog = {
  'OIDC-OK': {
    title: "The issuer's keys verify the token",
    cause:
      'Discovery and JWKS were fetched from inside the pod, the discovery issuer equals the token iss, and the signature verifies.',
    confirm: 'curl -s "$(ISS)/.well-known/openid-configuration"',
    fix: 'None.',
  },
  'OIDC-SKIPPED': {
    title: 'No IRSA token to verify against an issuer',
    cause:
      'No readable IRSA token (see token-file), or the pod uses only EKS Pod Identity, whose token EKS Auth validates inside AWS.',
    confirm: 'See the token-file check.',
    fix: 'None by itself.',
  },
  'OIDC-ISSUER-INVALID': {
    title: 'The token issuer is not an https URL',
    cause:
      'IAM OIDC providers and STS accept only https:// issuers; the cluster runs with a --service-account-issuer that is not a public https URL.',
    confirm: 'aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer',
    fix: "Set the API server's --service-account-issuer (self-managed clusters) to an https URL that serves the discovery document, and create the IAM OIDC provider for it.",
  },
  'OIDC-UNREACHABLE': {
    title: "The pod cannot fetch the issuer's discovery document or keys",
    cause:
      "Egress from the pod to the issuer is blocked (network policy, no NAT, proxy), DNS fails, the pod does not trust the issuer's TLS certificate, or the issuer answers an HTTP error (a private S3 bucket on self-managed clusters). STS fetches the keys from AWS's side, so this alone does not break IRSA; it matters for a private issuer that AWS cannot reach either, and for in-cluster verifiers.",
    confirm: 'kubectl exec POD -n NS -- curl -sv "$(ISS)/.well-known/openid-configuration"',
    fix: 'Allow HTTPS egress to the issuer host (network policy, NO_PROXY), fix DNS, or trust the CA via NODE_EXTRA_CA_CERTS; for self-managed issuers make the discovery document and keys publicly readable.',
  },
  'OIDC-ISSUER-MISMATCH': {
    title: 'Discovery issuer differs from the token iss',
    cause:
      'The discovery document names another issuer than the token carries: a trailing slash, http vs https, or a --service-account-issuer that differs from the URL serving the discovery document. STS compares iss with the provider URL exactly.',
    confirm: 'curl -s "$(ISS)/.well-known/openid-configuration" | jq .issuer',
    fix: "Make the API server's --service-account-issuer exactly the discovery document's issuer (no trailing slash), and create the IAM OIDC provider with that URL.",
  },
  'OIDC-SIGNATURE-INVALID': {
    title: "The token is not signed by the issuer's published keys",
    cause:
      "The JWKS has no key with the token's kid, or the signature does not verify: the token was minted by another cluster (a copied token or an iss pointing at the wrong issuer), or the signing keys rotated and the file holds a token from before. STS answers InvalidIdentityToken.",
    confirm: 'curl -s "$(JWKS_URI)" | jq ".keys[].kid"; cut -d. -f1 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d',
    fix: 'Use the token the kubelet projects for this pod (remove copied or hand-mounted tokens) and restart the pod so it gets a fresh one; on self-managed clusters publish the current service-account signing keys in the JWKS.',
  },
};
