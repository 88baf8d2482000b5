import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { fail, pass, skip, warn } from '../../report/finding.js';
import type { Check } from '../check.js';
import { type FetchFailure, loadOidcDiscovery } from '../facts/oidc-discovery.js';
import { loadToken } from '../facts/token.js';

/** Fetches the token issuer's discovery document and JWKS from the pod and verifies the token with them. */
export const oidcCheck: Check = {
  id: 'oidc',
  title: 'OIDC issuer: discovery, keys and token signature',
  async run(ctx) {
    if (!ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE)
      return [
        skip(
          'OIDC-SKIPPED',
          ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
            ? 'Only EKS Pod Identity is in use; EKS Auth validates its token inside AWS.'
            : 'No IRSA token to verify.',
        ),
      ];
    const token = await loadToken(ctx);
    if (!token.ok) return [skip('OIDC-SKIPPED', 'No readable IRSA token (see the token-file check).')];
    const iss = token.claims.iss;
    let url: URL | undefined;
    try {
      url = iss ? new URL(iss) : undefined;
    } catch {}
    if (!iss || url?.protocol !== 'https:')
      return [
        fail(
          'OIDC-ISSUER-INVALID',
          `The token issuer ${JSON.stringify(iss ?? null)} is not an https URL; IAM OIDC providers and STS accept only https issuers.`,
          "Set the API server's --service-account-issuer to the https URL that serves the discovery document (EKS: https://oidc.eks.REGION.amazonaws.com/id/ID), and create the IAM OIDC provider for it.",
          { iss },
        ),
      ];
    const found = await loadOidcDiscovery(ctx, iss);
    if (!found.ok) return [unreachable(found.stage, found.failure, iss)];
    const details = { iss, discoveryUrl: found.discoveryUrl, jwksUri: found.jwksUri, kid: token.header.kid };
    const findings = [];
    if (found.document.issuer !== iss)
      findings.push(
        fail(
          'OIDC-ISSUER-MISMATCH',
          `The discovery document at ${found.discoveryUrl} names issuer ${JSON.stringify(found.document.issuer)}, but the token's iss is ${JSON.stringify(iss)}${typeof found.document.issuer === 'string' && found.document.issuer.replace(/\/$/, '') === iss.replace(/\/$/, '') ? ' (they differ only by a trailing slash)' : ''}. STS compares iss with the IAM OIDC provider URL character for character.`,
          "Make the API server's --service-account-issuer exactly the discovery document's issuer (no trailing slash), then recreate the IAM OIDC provider with that URL and restart the pods so they get tokens with the new iss.",
          { ...details, discoveryIssuer: found.document.issuer },
        ),
      );
    const sig = await verifySignature(token.text, found.jwks);
    if (!sig.ok)
      findings.push(
        fail(
          'OIDC-SIGNATURE-INVALID',
          sig.reason === 'no-key'
            ? `The issuer's JWKS (${found.jwksUri}) has no key with the token's kid ${JSON.stringify(token.header.kid)}; it publishes ${JSON.stringify(sig.kids)}.`
            : `The token's signature does not verify with the issuer's key ${JSON.stringify(token.header.kid)} (${sig.detail}).`,
          'The token was not minted by this issuer: a token copied from another cluster, a hand-mounted token, or signing keys rotated since it was written. Use the token the kubelet projects for this pod (remove copied or hand-mounted tokens), restart the pod for a fresh token, and on self-managed clusters publish the current signing keys in the JWKS.',
          { ...details, reason: sig.reason, publishedKids: sig.kids },
        ),
      );
    if (findings.length === 0)
      findings.push(
        pass('OIDC-OK', `The issuer ${iss} is reachable from the pod and its keys verify the token.`, {
          ...details,
          keys: found.jwks.keys.length,
          alg: token.header.alg,
        }),
      );
    return findings;
  },
};

type SigResult =
  | { ok: true }
  | { ok: false; reason: 'no-key' | 'bad-signature'; detail: string; kids: unknown[] };

async function verifySignature(token: string, jwks: { keys: unknown[] }): Promise<SigResult> {
  const kids = jwks.keys.map((k) => (k as { kid?: unknown }).kid);
  try {
    const keySet = createLocalJWKSet(jwks as JSONWebKeySet);
    // Expiry, audience and issuer are judged by our own codes; only the signature matters here.
    await jwtVerify(token, keySet, { clockTolerance: 100 * 365 * 86400 });
    return { ok: true };
  } catch (e) {
    const code = (e as { code?: string }).code;
    // jose checks the signature before any claim: a claim error means the signature was fine.
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || code === 'ERR_JWT_EXPIRED') return { ok: true };
    if (code === 'ERR_JWKS_NO_MATCHING_KEY')
      return { ok: false, reason: 'no-key', detail: 'no matching key', kids };
    return { ok: false, reason: 'bad-signature', detail: code ?? (e as Error).message, kids };
  }
}

function unreachable(stage: 'discovery' | 'jwks', f: FetchFailure, iss: string) {
  const what: Record<FetchFailure['kind'], string> = {
    dns: 'the host name does not resolve',
    refused: 'the connection was refused',
    closed: 'the server closed the connection without answering',
    timeout: 'no answer before the deadline',
    tls: "the pod does not trust the issuer's TLS certificate",
    'http-status': `the issuer answered ${f.message}`,
    'not-json': `the answer is unusable: ${f.message}`,
    network: 'a network error',
  };
  const fix: Record<FetchFailure['kind'], string> = {
    dns: "check the pod's DNS (kubectl exec POD -- nslookup HOST) and CoreDNS egress",
    refused: 'check that the issuer URL is right and that a proxy or egress firewall is not rejecting it',
    closed: 'check proxies and egress firewalls on the path to the issuer',
    timeout:
      'allow HTTPS egress to the issuer (NetworkPolicy, security groups, NAT; set NO_PROXY or HTTPS_PROXY as your network requires)',
    tls: 'trust the CA that signs the issuer certificate (mount it and set NODE_EXTRA_CA_CERTS / the system trust store)',
    'http-status':
      'for self-managed issuers make ISS/.well-known/openid-configuration and the JWKS publicly readable (S3 bucket policy / object ACL); a 404 means the issuer URL is wrong',
    'not-json': 'serve the OIDC discovery document and JWKS as JSON at the issuer URL',
    network: 'check egress from the pod to the issuer',
  };
  return warn(
    'OIDC-UNREACHABLE',
    `Could not fetch the issuer's ${stage === 'discovery' ? 'discovery document' : 'JWKS'} from the pod (${f.url}): ${what[f.kind]}. STS fetches the keys from AWS's side, not from this pod, so this alone does not break IRSA unless AWS cannot reach the issuer either.`,
    `To let the pod verify tokens: ${fix[f.kind]}.`,
    { iss, stage, url: f.url, kind: f.kind, code: f.code, status: f.status, error: f.message },
  );
}
