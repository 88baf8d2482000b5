// The harness's own evaluator of identity-based IAM policies (plus a permissions boundary), written from
// the IAM policy-evaluation docs and nothing else: the product may evaluate policies with a library
// (@cloud-copilot/iam-simulate), and a verdict computed by the same code proves nothing.
//
// Single account, no SCPs, no session policies, no resource policies: that is what SimulatePrincipalPolicy
// on a role and the control-plane authorization of an operator need. Order as IAM documents it: an
// explicit Deny anywhere wins; then an identity Allow is needed, and, when the principal has a boundary,
// a boundary Allow as well.
import type { PolicyDocument, PolicyStatement } from '../iam.js';

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';
/** IAM's SourcePolicyType values */
export type PolicySourceType =
  | 'user'
  | 'group'
  | 'role'
  | 'aws-managed'
  | 'user-managed'
  | 'resource'
  | 'none';

export interface PolicySource {
  /** SourcePolicyId as SimulatePrincipalPolicy reports it: the policy name, or PolicyInputList.N */
  id: string;
  type: PolicySourceType;
  document: PolicyDocument;
}

/** Condition keys (case-insensitive) to their values; a single string is a one-value key. */
export type RequestContext = Record<string, string | string[]>;

export interface EvaluationRequest {
  action: string;
  resource: string;
  context?: RequestContext;
  /**
   * The policy simulator treats the resource `*` as "any resource": a statement scoped to one ARN still
   * matches it. A real request for an action without resource types carries a literal `*`, which only a
   * statement whose Resource pattern matches `*` grants. Default false (real authorization).
   */
  anyResource?: boolean;
}

export interface MatchedStatement {
  policy: PolicySource;
  /** index of the statement in the policy's Statement list */
  index: number;
  effect: 'Allow' | 'Deny';
}

export interface PolicyEvaluation {
  decision: EvalDecision;
  /** the statements that decided: every matching Deny for explicitDeny, every identity Allow for allowed */
  matched: MatchedStatement[];
  /** condition keys that statements matching action and resource needed and the context did not carry */
  missingContextKeys: string[];
  /** only when a boundary was given */
  allowedByBoundary?: boolean;
  /** which kind of policy failed to allow, for the "because no ... allows" message */
  deniedBy?: 'identity' | 'boundary';
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  const s = (doc as { Statement?: PolicyStatement | PolicyStatement[] }).Statement;
  return asArray(s);
}

/** IAM's glob: `*` any run of characters, `?` one character, nothing else is special. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

function actionMatches(stmt: PolicyStatement, action: string): boolean {
  const hit = (list: unknown) => asArray(list as string | string[]).some((a) => globMatch(a, action, true));
  if (stmt.NotAction !== undefined) return !hit(stmt.NotAction);
  return hit(stmt.Action);
}

function resourceMatches(stmt: PolicyStatement, resource: string, anyResource: boolean): boolean {
  if (stmt.NotResource !== undefined) {
    const patterns = asArray(stmt.NotResource);
    if (anyResource && resource === '*') return !patterns.includes('*');
    return !patterns.some((r) => globMatch(r, resource));
  }
  const patterns = stmt.Resource === undefined ? ['*'] : asArray(stmt.Resource);
  if (anyResource && resource === '*') return patterns.length > 0;
  return patterns.some((r) => globMatch(r, resource));
}

// --- conditions -------------------------------------------------------------------------------------

type Test = (actual: string, expected: string) => boolean;

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
function date(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  return Date.parse(s);
}
function numeric(cmp: (a: number, b: number) => boolean, parse: (s: string) => number): Test {
  return (a, e) => {
    const x = parse(a);
    const y = parse(e);
    return !Number.isNaN(x) && !Number.isNaN(y) && cmp(x, y);
  };
}

function ipv4(ip: string): number | undefined {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, o) => acc * 256 + o, 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(base);
  if (a === undefined || b === undefined) return ip === cidr;
  const n = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(n) || n < 0 || n > 32) return false;
  if (n === 0) return true;
  return Math.floor(a / 2 ** (32 - n)) === Math.floor(b / 2 ** (32 - n));
}

/** ArnLike/ArnEquals: the six colon-separated parts are matched one by one, each with its own wildcards. */
function arnMatch(pattern: string, value: string): boolean {
  const split = (s: string) => {
    const parts = s.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const v = split(value);
  if (!p || !v) return false;
  return p.every((part, i) => globMatch(part, v[i]));
}

// Negated operators are written as their positive twin plus `negated` so the missing-key and
// multi-value rules below apply uniformly.
const POSITIVE: Record<string, Test> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => globMatch(e, a),
  NumericEquals: numeric((a, b) => a === b, num),
  NumericLessThan: numeric((a, b) => a < b, num),
  NumericLessThanEquals: numeric((a, b) => a <= b, num),
  NumericGreaterThan: numeric((a, b) => a > b, num),
  NumericGreaterThanEquals: numeric((a, b) => a >= b, num),
  DateEquals: numeric((a, b) => a === b, date),
  DateLessThan: numeric((a, b) => a < b, date),
  DateLessThanEquals: numeric((a, b) => a <= b, date),
  DateGreaterThan: numeric((a, b) => a > b, date),
  DateGreaterThanEquals: numeric((a, b) => a >= b, date),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  BinaryEquals: (a, e) => a === e,
  IpAddress: (a, e) => inCidr(a, e),
  ArnEquals: (a, e) => arnMatch(e, a),
  ArnLike: (a, e) => arnMatch(e, a),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** undefined for an operator IAM does not know: the statement then never applies (fail closed). */
export function conditionHolds(rawOp: string, actual: string[] | undefined, expected: string[]): boolean {
  let op = rawOp;
  let qualifier: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) [qualifier, op] = ['any', op.slice('ForAnyValue:'.length)];
  else if (op.startsWith('ForAllValues:')) [qualifier, op] = ['all', op.slice('ForAllValues:'.length)];
  const ifExists = op.endsWith('IfExists') && op !== 'IfExists';
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const present = actual !== undefined && actual.length > 0;
  if (op === 'Null') {
    if (expected.length === 0) return false;
    return expected.some((e) => (e.toLowerCase() === 'true') === !present);
  }
  const negated = op in NEGATED;
  const test = POSITIVE[negated ? NEGATED[op] : op];
  if (!test) return false;
  if (!present) {
    if (ifExists) return true;
    if (qualifier === 'all') return true;
    if (qualifier === 'any') return false;
    return negated;
  }
  const single = (v: string) => {
    const hit = expected.some((e) => test(v, e));
    return negated ? !hit : hit;
  };
  if (qualifier === 'all') return actual.every(single);
  if (qualifier === 'any') return actual.some(single);
  return negated ? actual.every(single) : actual.some(single);
}

function conditionsHold(
  cond: PolicyStatement['Condition'],
  ctx: Map<string, string[]>,
  missing: Map<string, string>,
): boolean {
  if (!cond) return true;
  let ok = true;
  // Keys and operators are ANDed; every key is visited so the missing-key list is complete.
  for (const [op, block] of Object.entries(cond)) {
    for (const [key, expected] of Object.entries(block ?? {})) {
      const actual = ctx.get(key.toLowerCase());
      if (actual === undefined && !op.startsWith('Null')) missing.set(key.toLowerCase(), key);
      if (!conditionHolds(op, actual, asArray(expected).map(String))) ok = false;
    }
  }
  return ok;
}

function normalizeContext(context: RequestContext | undefined): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of Object.entries(context ?? {})) m.set(k.toLowerCase(), asArray(v));
  return m;
}

function matching(
  sources: PolicySource[],
  req: EvaluationRequest,
  ctx: Map<string, string[]>,
  missing: Map<string, string>,
): MatchedStatement[] {
  const out: MatchedStatement[] = [];
  for (const policy of sources) {
    statementsOf(policy.document).forEach((stmt, index) => {
      if (stmt.Effect !== 'Allow' && stmt.Effect !== 'Deny') return;
      if (!actionMatches(stmt, req.action)) return;
      if (!resourceMatches(stmt, req.resource, req.anyResource ?? false)) return;
      if (!conditionsHold(stmt.Condition, ctx, missing)) return;
      out.push({ policy, index, effect: stmt.Effect });
    });
  }
  return out;
}

export function evaluatePolicies(
  identity: PolicySource[],
  req: EvaluationRequest,
  boundary?: PolicySource[],
): PolicyEvaluation {
  const ctx = normalizeContext(req.context);
  const missing = new Map<string, string>();
  const fromIdentity = matching(identity, req, ctx, missing);
  const fromBoundary = boundary ? matching(boundary, req, ctx, missing) : [];
  const missingContextKeys = [...missing.values()];
  const allowedByBoundary = boundary
    ? fromBoundary.some((m) => m.effect === 'Allow') && !fromBoundary.some((m) => m.effect === 'Deny')
    : undefined;
  const denies = [...fromIdentity, ...fromBoundary].filter((m) => m.effect === 'Deny');
  if (denies.length > 0)
    return { decision: 'explicitDeny', matched: denies, missingContextKeys, allowedByBoundary };
  const allows = fromIdentity.filter((m) => m.effect === 'Allow');
  if (allows.length === 0)
    return {
      decision: 'implicitDeny',
      matched: [],
      missingContextKeys,
      allowedByBoundary,
      deniedBy: 'identity',
    };
  if (allowedByBoundary === false)
    return {
      decision: 'implicitDeny',
      matched: [],
      missingContextKeys,
      allowedByBoundary,
      deniedBy: 'boundary',
    };
  return { decision: 'allowed', matched: allows, missingContextKeys, allowedByBoundary };
}
