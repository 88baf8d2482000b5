// Turns what Amazon OpenSearch answers into a cause. Keys on the documented AWS / security-plugin phrases
// (case-insensitive substrings), because the same denial reaches us as parsed JSON, a JSON string, or text,
// and with `Message` or `message` depending on which layer refused.
import { redact } from '../../lib/redact.js';

export type OpenSearchDenial =
  /** IAM: the domain access policy (resource-based) did not allow, or explicitly denied. */
  | { kind: 'access-policy'; principal?: string; action?: string; explicitDeny: boolean; text: string }
  /** IAM: the caller's own policies did not allow es:ESHttp*, or explicitly denied. */
  | {
      kind: 'identity-policy';
      principal?: string;
      action?: string;
      explicitDeny: boolean;
      /** which policy on the caller's side refused, as IAM names it (identity-based policy, permissions boundary, ...) */
      policyType: string;
      text: string;
    }
  /** The request reached the IAM layer unsigned. */
  | { kind: 'anonymous'; text: string }
  /** Fine-grained access control: the security plugin knows the user but no role mapping grants the action. */
  | { kind: 'fgac-unmapped'; user?: string; backendRoles: string[]; action?: string; text: string }
  /** SigV4 signed for another service or region, or with a wrong key. */
  | {
      kind: 'signature';
      expectedService?: string;
      wrongRegion?: string;
      mismatch: boolean;
      text: string;
    }
  /** Credentials the service does not accept: unknown/invalid, or expired. */
  | { kind: 'invalid-token'; expired: boolean; text: string }
  /** OpenSearch Serverless: one opaque 403 for every IAM and data-access-policy denial. */
  | { kind: 'aoss-forbidden'; text: string }
  | { kind: 'http-error'; text: string };

/** The error's human text, whether the body arrived parsed, as a JSON string, as bytes, or as plain text. */
export function errorText(body: unknown): string {
  // Compressed or streamed answers can reach us as bytes.
  let b = body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : body;
  if (typeof b === 'string') {
    const t = b.trim();
    if (t.startsWith('{')) {
      try {
        b = JSON.parse(t);
      } catch {
        return t;
      }
    } else return t;
  }
  if (b === null || b === undefined) return '';
  if (typeof b !== 'object') return String(b);
  const o = b as Record<string, unknown>;
  for (const key of ['Message', 'message']) if (typeof o[key] === 'string') return o[key] as string;
  const err = o.error;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    const rootCause = Array.isArray(e.root_cause) ? (e.root_cause[0] as Record<string, unknown>) : undefined;
    const reason = (typeof e.reason === 'string' ? e.reason : undefined) ?? rootCause?.reason;
    const type = (typeof e.type === 'string' ? e.type : undefined) ?? rootCause?.type;
    if (typeof reason === 'string') return typeof type === 'string' ? `${type}: ${reason}` : reason;
  }
  return JSON.stringify(b);
}

/** First line, redacted and bounded, for messages and details. */
export function firstLine(text: string, max = 300): string {
  const line = (text.split(/\r?\n/)[0] ?? '').trim();
  const r = redact(line);
  return r.length > max ? `${r.slice(0, max - 3)}...` : r;
}

const PRINCIPAL = /user:\s*(\S+?)\s+is not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)?/i;
const POLICY_TYPE =
  /(?:because no|explicit deny in an?)\s+(identity-based policy|resource-based policy|permissions boundary|session policy|service control policy|resource control policy|vpc endpoint policy)/i;
const FGAC_USER = /user \[name=([^,\]]*),\s*backend_roles=\[([^\]]*)\]/i;
const FGAC_ACTION = /no permissions for \[([^\]]*)\]/i;

/** Classifies a non-2xx answer. `status` is the HTTP status; `body` is e.meta.body as the client left it. */
export function classifyOpenSearchError(status: number, body: unknown): OpenSearchDenial {
  const raw = errorText(body);
  const text = firstLine(raw);
  const t = raw.toLowerCase();

  if (t.includes('security token included in the request is expired'))
    return { kind: 'invalid-token', expired: true, text };
  if (t.includes('security token included in the request is invalid') || t.includes('invalidclienttokenid'))
    return { kind: 'invalid-token', expired: false, text };
  if (t.includes('signature we calculated does not match') || t.includes('credential should be scoped')) {
    const svc = /scoped to correct service:\s*'([^']+)'/i.exec(raw)?.[1];
    const region = /scoped to a valid region,\s*not\s*'([^']+)'/i.exec(raw)?.[1];
    return {
      kind: 'signature',
      ...(svc ? { expectedService: svc } : {}),
      ...(region ? { wrongRegion: region } : {}),
      mismatch: t.includes('signature we calculated does not match'),
      text,
    };
  }
  if (t.includes('no permissions for [') || (t.includes('security_exception') && FGAC_USER.test(raw))) {
    const u = FGAC_USER.exec(raw);
    const backendRoles = (u?.[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const user = u?.[1]?.trim();
    const action = FGAC_ACTION.exec(raw)?.[1];
    return {
      kind: 'fgac-unmapped',
      ...(user ? { user } : {}),
      backendRoles,
      ...(action ? { action } : {}),
      text,
    };
  }
  const who = PRINCIPAL.exec(raw);
  if (who) {
    const principal = who[1]!;
    const action = who[2];
    const base = { ...(action ? { action } : {}), text };
    // Unsigned requests reach IAM as "anonymous", whichever policy then refuses them.
    if (principal.toLowerCase() === 'anonymous') return { kind: 'anonymous', text };
    const explicitDeny = t.includes('explicit deny');
    // IAM names the policy type that refused; all but the resource-based one sit on the caller's side.
    const policyType = POLICY_TYPE.exec(raw)?.[1]?.toLowerCase();
    if (policyType && policyType !== 'resource-based policy')
      return { kind: 'identity-policy', principal, explicitDeny, policyType, ...base };
    return { kind: 'access-policy', principal, explicitDeny, ...base };
  }
  // FGAC without anonymous access answers an unsigned request with a bare 401 and a Basic challenge.
  if (status === 401) return { kind: 'anonymous', text: text || 'Unauthorized' };
  if (status === 403 && isAossForbidden(body, t)) return { kind: 'aoss-forbidden', text };
  return { kind: 'http-error', text };
}

function isAossForbidden(body: unknown, lower: string): boolean {
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if ('request-id' in o) return true;
    const err = o.error as Record<string, unknown> | undefined;
    if (err && typeof err === 'object' && String(err.type).toLowerCase() === 'forbidden') return true;
  }
  return lower.includes('403 forbidden') || lower === 'forbidden';
}

/** `arn:aws:sts::ACCT:assumed-role/NAME/i-0abc...`: the session name EC2 gives the instance profile role. */
export function looksLikeInstanceSession(principal: string | undefined): boolean {
  if (!principal) return false;
  const m = /:assumed-role\/[^/]+\/(.+)$/.exec(principal.trim());
  return Boolean(m && /^i-[0-9a-f]{8,17}$/.test(m[1]!));
}
