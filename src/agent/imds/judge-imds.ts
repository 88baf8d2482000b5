// What the IMDS probes prove. A security check must not pass on a timeout it cannot attribute: with 16
// agents on 2 busy cores, a starved process saw its 1 s timer fire before it ever read IMDS's answer, and
// reported IMDS-BLOCKED (pass) although IMDS answered. So a timeout counts as "blocked" only when the
// process was alive to hear an answer during the wait.
import type { MetadataResponse } from '../../lib/metadata-request.js';

/** A timer this much late ran after a stall, possibly over an answer that sat unread. */
const LATE_TOLERANCE_MS = 100;
/** The live time (budget minus stalls) a link-local answer needs at the very least: a few loop turns. */
const MIN_LIVE_MS = 300;

const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;
/** IMDSv2 session tokens are short base64; nothing else (and nothing with a CR/LF) goes in a header. */
const TOKEN_RE = /^[A-Za-z0-9+/=_-]{8,1024}$/;

export interface ImdsProbe {
  put: MetadataResponse;
  v1: MetadataResponse;
  /** The role list fetched with the v2 token, when there was one. */
  v2List?: MetadataResponse;
  /** The time each request was given (the SDK gives IMDS 1 s; the run's deadline may give less). */
  budgetMs: number;
}

export type ImdsVerdict =
  | { kind: 'reachable'; token: boolean; v1: boolean; roleName?: string }
  | { kind: 'blocked'; hopLimitSignature: boolean }
  | {
      kind: 'undetermined';
      why: 'not-imds' | 'starved' | 'short-budget';
      /** For not-imds: what answered instead. */
      what?: string;
      stalledMs: number;
      lateMs: number;
    };

/** The IMDSv2 token from a PUT answer, when it is one. */
export function tokenOf(put: MetadataResponse): string | undefined {
  if (put.kind !== 'response' || put.status !== 200 || put.truncated) return undefined;
  const t = put.body.trim();
  return TOKEN_RE.test(t) ? t : undefined;
}

export function roleNameOf(r: MetadataResponse | undefined): string | undefined {
  if (r?.kind !== 'response' || r.status !== 200 || r.truncated) return undefined;
  const first = r.body.split('\n')[0]?.trim() ?? '';
  return ROLE_NAME_RE.test(first) ? first : undefined;
}

export function judgeImds(p: ImdsProbe, sdkTimeoutMs: number): ImdsVerdict {
  const token = tokenOf(p.put) !== undefined;
  const v1 = roleNameOf(p.v1) !== undefined;
  if (token || v1) {
    const roleName = roleNameOf(p.v2List) ?? roleNameOf(p.v1);
    return { kind: 'reachable', token, v1, ...(roleName ? { roleName } : {}) };
  }
  const both = [p.put, p.v1];
  const stalledMs = Math.max(...both.map((r) => r.stalledMs));
  const lateMs = Math.max(...both.map((r) => (r.kind === 'timeout' ? r.lateMs : 0)));
  const odd = both.map(notImdsAnswer).find(Boolean);
  if (odd) return { kind: 'undetermined', why: 'not-imds', what: odd, stalledMs, lateMs };
  const timeouts = both.filter((r) => r.kind === 'timeout');
  if (timeouts.length > 0) {
    if (
      timeouts.some((r) => r.kind === 'timeout' && r.lateMs > LATE_TOLERANCE_MS) ||
      stalledMs > p.budgetMs - MIN_LIVE_MS
    )
      return { kind: 'undetermined', why: 'starved', stalledMs, lateMs };
    // The SDK waits 1 s for IMDS; a shorter wait (the run's deadline near) proves less than the SDK would see.
    if (p.budgetMs < sdkTimeoutMs) return { kind: 'undetermined', why: 'short-budget', stalledMs, lateMs };
  }
  return {
    kind: 'blocked',
    hopLimitSignature: p.put.kind === 'timeout' && p.put.phase === 'response',
  };
}

/**
 * An answer only something other than IMDS gives: bytes that are not HTTP, a 200 that is no token / no
 * role list, or a body cut off at the cap (IMDS answers these paths in a few dozen bytes). Refusals (401,
 * 403, 404, 405) and network errors are what a blocked or role-less IMDS looks like.
 */
function notImdsAnswer(r: MetadataResponse): string | undefined {
  // llhttp's parse errors: bytes came back, but not HTTP.
  if (r.kind === 'error' && r.errno.startsWith('HPE_')) return `bytes that are not HTTP (${r.errno})`;
  if (r.kind !== 'response') return undefined;
  if (r.truncated) return `HTTP ${r.status} with more than ${r.body.length} bytes`;
  if (r.status === 200) return `HTTP 200 with a body that is neither a token nor a role name`;
  if (r.status < 400 || r.status >= 600) return `HTTP ${r.status}`;
  return undefined;
}
