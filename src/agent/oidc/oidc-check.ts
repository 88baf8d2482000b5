import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { pathNote, proxyFindings, proxyInvalidFinding, withPath } from '../net/path-findings.js';
import { irsaToken } from '../token/token-files.js';
import { type FetchFailure, type OidcDiscovery, oidcDiscovery } from './oidc-discovery.js';

/** Fetches the token issuer's discovery document and JWKS from the pod and verifies the token with them. */
export const oidcCheck: Check = {
  id: 'oidc',
  title: 'OIDC issuer: discovery, keys and token signature',
  sdkFree: true,
  async run(ctx) {
    if (!ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE)
      return [
        finding(
          'OIDC-SKIPPED',
          ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
            ? 'Only EKS Pod Identity is in use; EKS Auth validates its token inside AWS.'
            : 'No IRSA token to verify.',
        ),
      ];
    const token = await irsaToken(ctx);
    if (!token.ok) return [finding('OIDC-SKIPPED', 'No readable IRSA token (see the token-file check).')];
    const iss = token.claims.iss;
    let url: URL | undefined;
    try {
      url = iss ? new URL(iss) : undefined;
    } catch {}
    if (!iss || url?.protocol !== 'https:')
      return [
        finding(
          'OIDC-ISSUER-INVALID',
          `The token issuer ${JSON.stringify(iss ?? null)} is not an https URL; IAM OIDC providers and STS accept only https issuers.`,
          { details: { iss } },
        ),
      ];
    const found = await oidcDiscovery(ctx, iss);
    const path = found.path;
    if (path.route.via === 'invalid') return [proxyInvalidFinding(path.route, `the issuer ${iss}`, 'warn')];
    // The issuer answered unless the request never got an HTTP answer from it.
    const reached = found.ok || found.failure.kind === 'http-status' || found.failure.kind === 'not-json';
    const p = proxyFindings(path, { label: `the issuer ${iss}`, reached, severity: 'warn' });
    const own = p.replace ? [p.replace] : await judged(found, token, iss);
    return withPath([...own, ...p.extra], path.route);
  },
};

/** The issuer's answer judged: reachable, the same issuer, keys that verify the token. */
async function judged(
  found: OidcDiscovery,
  token: Extract<Awaited<ReturnType<typeof irsaToken>>, { ok: true }>,
  iss: string,
): Promise<Finding[]> {
  if (!found.ok) return [unreachable(found.stage, found.failure, iss, pathNote(found.path.route))];
  const details = { iss, discoveryUrl: found.discoveryUrl, jwksUri: found.jwksUri, kid: token.header.kid };
  const findings: Finding[] = [];
  if (found.document.issuer !== iss)
    findings.push(
      finding(
        'OIDC-ISSUER-MISMATCH',
        `The discovery document at ${found.discoveryUrl} names issuer ${JSON.stringify(found.document.issuer)}, but the token's iss is ${JSON.stringify(iss)}${typeof found.document.issuer === 'string' && found.document.issuer.replace(/\/$/, '') === iss.replace(/\/$/, '') ? ' (they differ only by a trailing slash)' : ''}. STS compares iss with the IAM OIDC provider URL character for character.`,
        { details: { ...details, discoveryIssuer: found.document.issuer } },
      ),
    );
  const sig = await verifySignature(token.text, found.jwks);
  if (!sig.ok)
    findings.push(
      finding('OIDC-SIGNATURE-INVALID', signatureMessage(sig, token.header, found.jwksUri), {
        details: {
          ...details,
          alg: token.header.alg,
          reason: sig.reason,
          publishedKids: sig.kids.slice(0, 10),
        },
      }),
    );
  if (findings.length === 0)
    findings.push(
      finding(
        'OIDC-OK',
        `The issuer ${iss} is reachable from the pod${pathNote(found.path.route)} and its keys verify the token.`,
        { details: { ...details, keys: found.jwks.keys.length, alg: token.header.alg } },
      ),
    );
  return findings;
}

type SigFailure = {
  ok: false;
  reason: 'no-key' | 'bad-signature' | 'unsupported-alg';
  detail: string;
  kids: unknown[];
};
type SigResult = { ok: true } | SigFailure;

/** What went wrong, naming the token's kid and alg as they are (a missing kid is said so, not "undefined"). */
function signatureMessage(sig: SigFailure, header: Record<string, unknown>, jwksUri: string): string {
  const kid =
    header.kid === undefined
      ? undefined
      : typeof header.kid === 'string'
        ? header.kid
        : JSON.stringify(header.kid);
  const key =
    kid === undefined ? 'the token header names no key (kid)' : `the token's kid ${JSON.stringify(kid)}`;
  if (sig.reason === 'unsupported-alg')
    return `The token is signed with alg ${JSON.stringify(header.alg)}, which none of the issuer's keys (${jwksUri}) can verify (${sig.detail}); Kubernetes signs with RS256 or ES256.`;
  if (sig.reason === 'no-key')
    return `The issuer's JWKS (${jwksUri}) has no key for the token: ${key}; it publishes ${JSON.stringify(sig.kids.slice(0, 10))}${sig.kids.length > 10 ? ` and ${sig.kids.length - 10} more` : ''}.`;
  return kid === undefined
    ? `The token's signature does not verify with the issuer's keys; ${key} (${sig.detail}).`
    : `The token's signature does not verify with the issuer's key ${JSON.stringify(kid)} (${sig.detail}).`;
}

async function verifySignature(token: string, jwks: { keys: unknown[] }): Promise<SigResult> {
  const kids = jwks.keys.map((k) => (k && typeof k === 'object' ? (k as { kid?: unknown }).kid : undefined));
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
    if (code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED')
      return { ok: false, reason: 'unsupported-alg', detail: code, kids };
    return { ok: false, reason: 'bad-signature', detail: code ?? (e as Error).message, kids };
  }
}

const FIX_VARIANT = {
  dns: 'dns',
  refused: 'refused',
  closed: 'closed',
  timeout: 'timeout',
  tls: 'tls',
  'http-status': 'httpStatus',
  'not-json': 'notJson',
  network: 'network',
} as const satisfies Record<FetchFailure['kind'], string>;

function unreachable(stage: 'discovery' | 'jwks', f: FetchFailure, iss: string, note: string): Finding {
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
  return finding(
    'OIDC-UNREACHABLE',
    `Could not fetch the issuer's ${stage === 'discovery' ? 'discovery document' : 'JWKS'} from the pod (${f.url})${note}: ${what[f.kind]}. STS fetches the keys from AWS's side, not from this pod, so this alone does not break IRSA unless AWS cannot reach the issuer either.`,
    {
      variant: FIX_VARIANT[f.kind],
      fix: { issuer: iss, host: hostOf(f.url) },
      details: { iss, stage, url: f.url, kind: f.kind, code: f.code, status: f.status, error: f.message },
    },
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
