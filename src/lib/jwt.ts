// Decoding (not verifying) a projected service-account token, with reasons a person can act on.
// Never include token text in a reason: callers put reasons in findings.
import { decodeJwt, decodeProtectedHeader } from 'jose';

export interface TokenClaims {
  iss?: string;
  sub?: string;
  /** normalised to an array */
  aud?: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  /** the private `kubernetes.io` claim */
  kubernetes?: {
    namespace?: string;
    serviceaccount?: { name?: string; uid?: string };
    pod?: { name?: string; uid?: string };
    node?: { name?: string; uid?: string };
  };
  [k: string]: unknown;
}

export type DecodedJwt =
  | { ok: true; header: Record<string, unknown>; claims: TokenClaims }
  | { ok: false; detail: string };

/** Decodes a compact JWS. The text should already be trimmed of surrounding whitespace. */
export function decodeToken(text: string): DecodedJwt {
  if (text.length === 0) return { ok: false, detail: 'the file is empty' };
  if (/[\u0000-\u0008\u000E-\u001F\u007F]/.test(text) || text.includes('\uFFFD'))
    return { ok: false, detail: 'the file holds binary data, not a JWT' };
  const parts = text.split('.');
  if (parts.length === 5)
    return { ok: false, detail: 'the file holds an encrypted JWT (JWE, 5 parts); STS needs a signed JWT' };
  if (parts.length !== 3)
    return {
      ok: false,
      detail: `a JWT has 3 dot-separated parts (header.payload.signature); this has ${parts.length}`,
    };
  if (parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    return {
      ok: false,
      detail: 'a JWT part contains characters outside base64url (whitespace or line breaks inside?)',
    };
  if (parts[2] === '') return { ok: false, detail: 'the JWT has no signature (unsigned token)' };
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(text) as Record<string, unknown>;
  } catch {
    return { ok: false, detail: 'the JWT header is not base64url-encoded JSON' };
  }
  try {
    payload = decodeJwt(text) as Record<string, unknown>;
  } catch {
    return { ok: false, detail: 'the JWT payload is not base64url-encoded JSON' };
  }
  return { ok: true, header, claims: normaliseClaims(payload) };
}

export function normaliseClaims(payload: Record<string, unknown>): TokenClaims {
  const claims: TokenClaims = { ...payload };
  delete claims['kubernetes.io'];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  claims.iss = str(payload.iss);
  claims.sub = str(payload.sub);
  claims.exp = num(payload.exp);
  claims.nbf = num(payload.nbf);
  claims.iat = num(payload.iat);
  const aud = payload.aud;
  claims.aud =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a) => typeof a === 'string')
        : undefined;
  const k = payload['kubernetes.io'];
  if (k && typeof k === 'object') {
    const o = k as Record<string, unknown>;
    const ref = (v: unknown) => {
      if (!v || typeof v !== 'object') return undefined;
      const r = v as Record<string, unknown>;
      return { name: str(r.name), uid: str(r.uid) };
    };
    claims.kubernetes = {
      namespace: str(o.namespace),
      serviceaccount: ref(o.serviceaccount),
      pod: ref(o.pod),
      node: ref(o.node),
    };
  }
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return claims;
}
