// Decoding (not verifying) a projected service-account token, with reasons a person can act on.
// Never include token text in a reason: callers put reasons in findings.
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
  /**
   * Registered claims that are present but unusable, with why (the kind of value, never the value):
   * such a claim is also left out above, as if absent.
   */
  unusable?: Partial<Record<RegisteredClaim, string>>;
  [k: string]: unknown;
}

export type DecodedJwt =
  | { ok: true; header: Record<string, unknown>; claims: TokenClaims }
  | { ok: false; detail: string };

/** The registered claims STS reads; a value of the wrong kind is named, never printed. */
export type RegisteredClaim = 'iss' | 'sub' | 'aud' | 'exp' | 'nbf' | 'iat';

/**
 * A NumericDate past this many seconds (either side of 1970) has no date: JavaScript's Date ends at
 * 8.64e15 ms (year 275760), and no issuer writes such an exp.
 */
export const MAX_NUMERIC_DATE_SECONDS = 8.64e12;

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
  const header = decodePart(parts[0]!, 'header');
  if (!header.ok) return header;
  const alg = header.value.alg;
  if (typeof alg !== 'string' || alg === '')
    return { ok: false, detail: 'the JWT header names no signing algorithm (alg)' };
  if (alg.toLowerCase() === 'none')
    return { ok: false, detail: 'the JWT header says alg "none": an unsigned token, which STS refuses' };
  const payload = decodePart(parts[1]!, 'payload');
  if (!payload.ok) return payload;
  return { ok: true, header: header.value, claims: normaliseClaims(payload.value) };
}

/** One base64url part as a JSON object; a JWT's header and claims set are objects, nothing else. */
function decodePart(
  part: string,
  which: 'header' | 'payload',
): { ok: true; value: Record<string, unknown> } | { ok: false; detail: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, detail: `the JWT ${which} is not base64url-encoded JSON` };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return { ok: true, value: value as Record<string, unknown> };
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return {
    ok: false,
    detail: `the JWT ${which} is JSON but ${kind}, not an object (a JWT ${which === 'header' ? 'header' : 'claims set'} is a JSON object)`,
  };
}

export function normaliseClaims(payload: Record<string, unknown>): TokenClaims {
  const claims: TokenClaims = { ...payload };
  delete claims['kubernetes.io'];
  const unusable: Partial<Record<RegisteredClaim, string>> = {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const text = (key: 'iss' | 'sub') => {
    const v = payload[key];
    if (v !== undefined && typeof v !== 'string') unusable[key] = `${kindOf(v)}, not a string`;
    return str(v);
  };
  const date = (key: 'exp' | 'nbf' | 'iat') => {
    const v = payload[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      unusable[key] = `${kindOf(v)}, not a NumericDate (seconds since 1970)`;
      return undefined;
    }
    if (Math.abs(v) > MAX_NUMERIC_DATE_SECONDS) {
      unusable[key] = `${v} seconds, past any date a clock can hold (year 275760)`;
      return undefined;
    }
    return v;
  };
  claims.iss = text('iss');
  claims.sub = text('sub');
  claims.exp = date('exp');
  claims.nbf = date('nbf');
  claims.iat = date('iat');
  const aud = payload.aud;
  claims.aud =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a) => typeof a === 'string')
        : undefined;
  if (aud !== undefined && typeof aud !== 'string' && !Array.isArray(aud))
    unusable.aud = `${kindOf(aud)}, not a string or an array of strings`;
  else if (Array.isArray(aud) && aud.length > 0 && claims.aud?.length === 0)
    unusable.aud = 'an array without a single string';
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
  claims.unusable = Object.keys(unusable).length > 0 ? unusable : undefined;
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return claims;
}

/** What kind of JSON value this is, for reasons (never the value itself). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : 'not a finite number';
  return `${typeof v === 'object' ? 'an' : 'a'} ${typeof v}`;
}

/** An ISO date for a NumericDate, or undefined when no Date can hold it (never throws). */
export function isoOfSeconds(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  const d = new Date(seconds * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}
