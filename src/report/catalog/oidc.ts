import { defineCodes } from './define.js';

const VERIFY = 'To let the pod verify tokens:';

export const OIDC_CODES = defineCodes({
  'OIDC-OK': {
    check: 'oidc',
    status: 'pass',
    title: "The issuer's keys verify the token",
    cause:
      'Discovery and JWKS were fetched from inside the pod, the discovery issuer equals the token iss, and the signature verifies.',
    confirm: 'curl -s "{{issuer}}/.well-known/openid-configuration"',
  },
  'OIDC-SKIPPED': {
    check: 'oidc',
    status: 'skip',
    title: 'No IRSA token to verify against an issuer',
    cause:
      'No readable IRSA token (see token-file), or the pod uses only EKS Pod Identity, whose token EKS Auth validates inside AWS.',
    confirm: 'See the token-file check.',
  },
  'OIDC-ISSUER-INVALID': {
    check: 'oidc',
    status: 'fail',
    title: 'The token issuer is not an https URL',
    cause:
      'IAM OIDC providers and STS accept only https:// issuers; the cluster runs with a --service-account-issuer that is not a public https URL.',
    confirm: 'aws eks describe-cluster --name {{cluster}} --query cluster.identity.oidc.issuer',
    fix: "Set the API server's --service-account-issuer to the https URL that serves the discovery document (EKS: https://oidc.eks.REGION.amazonaws.com/id/ID), and create the IAM OIDC provider for it.",
  },
  'OIDC-UNREACHABLE': {
    check: 'oidc',
    status: 'warn',
    title: "The pod cannot fetch the issuer's discovery document or keys",
    cause:
      "Egress from the pod to the issuer is blocked (network policy, no NAT, proxy), DNS fails, the pod does not trust the issuer's TLS certificate, or the issuer answers an HTTP error (a private S3 bucket on self-managed clusters). STS fetches the keys from AWS's side, so this alone does not break IRSA; it matters for a private issuer that AWS cannot reach either, and for in-cluster verifiers.",
    confirm:
      'kubectl exec {{pod}} -n {{namespace}} -- curl -sv "{{issuer}}/.well-known/openid-configuration"',
    fix: {
      dns: `${VERIFY} check the pod's DNS (\`kubectl exec {{pod}} -n {{namespace}} -- nslookup {{host}}\`) and CoreDNS egress.`,
      refused: `${VERIFY} check that the issuer URL is right and that a proxy or egress firewall is not rejecting it.`,
      closed: `${VERIFY} check proxies and egress firewalls on the path to the issuer.`,
      timeout: `${VERIFY} allow HTTPS egress to the issuer (NetworkPolicy, security groups, NAT; set NO_PROXY or HTTPS_PROXY as your network requires).`,
      tls: `${VERIFY} trust the CA that signs the issuer certificate (mount it and set NODE_EXTRA_CA_CERTS / the system trust store).`,
      httpStatus: `${VERIFY} for self-managed issuers make {{issuer}}/.well-known/openid-configuration and the JWKS publicly readable (S3 bucket policy / object ACL); a 404 means the issuer URL is wrong.`,
      notJson: `${VERIFY} serve the OIDC discovery document and JWKS as JSON at the issuer URL.`,
      network: `${VERIFY} check egress from the pod to the issuer.`,
    },
  },
  'OIDC-ISSUER-MISMATCH': {
    check: 'oidc',
    status: 'fail',
    title: 'Discovery issuer differs from the token iss',
    cause:
      'The discovery document names another issuer than the token carries: a trailing slash, http vs https, or a --service-account-issuer that differs from the URL serving the discovery document. STS compares iss with the provider URL exactly.',
    confirm: 'curl -s "{{issuer}}/.well-known/openid-configuration" | jq .issuer',
    fix: "Make the API server's --service-account-issuer exactly the discovery document's issuer (no trailing slash), then recreate the IAM OIDC provider with that URL and restart the pods so they get tokens with the new iss.",
  },
  'OIDC-SIGNATURE-INVALID': {
    check: 'oidc',
    status: 'fail',
    title: "The token is not signed by the issuer's published keys",
    cause:
      "The JWKS has no key with the token's kid, or the signature does not verify: the token was minted by another cluster (a copied token or an iss pointing at the wrong issuer), or the signing keys rotated and the file holds a token from before. STS answers InvalidIdentityToken.",
    confirm: 'curl -s "{{jwksUri}}" | jq ".keys[].kid"; cut -d. -f1 $AWS_WEB_IDENTITY_TOKEN_FILE | base64 -d',
    fix: 'The token was not minted by this issuer: a token copied from another cluster, a hand-mounted token, or signing keys rotated since it was written. Use the token the kubelet projects for this pod (remove copied or hand-mounted tokens), restart the pod for a fresh token, and on self-managed clusters publish the current signing keys in the JWKS.',
  },
});
