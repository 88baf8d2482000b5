// Evaluates one policy document for one request the way IAM documents it: an explicit Deny wins, else
// any Allow, else an implicit deny; within a statement every element must match; in a Condition, the
// operators and their keys are ANDed and the values of one key ORed. Written for the trust policies and
// resource policies the audit reads (IAM's own SimulatePrincipalPolicy evaluates identity policies, but
// it cannot evaluate a resource policy for a role as caller), and it explains each statement.
import type { PolicyDocument, PrincipalBlock, PrincipalType, Statement } from './policy-document.js';

export interface PolicyRequest {
  /** Who asks: a role ARN, a federated (OIDC provider) ARN, a service name; absent for any. */
  principal?: { type: PrincipalType; id: string };
  action: string;
  /** The resource ARN; trust policies have none. */
  resource?: string;
  /** Condition keys and their values in the request (keys compare case-insensitively, as in IAM). */
  context: Record<string, string | string[]>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface ConditionCheck {
  operator: string;
  key: string;
  expected: string[];
  /** what the request carries for the key; undefined when it carries nothing */
  actual?: string[];
  matches: boolean;
}

export interface StatementCheck {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal: boolean;
  action: boolean;
  resource: boolean;
  conditions: ConditionCheck[];
  /** principal, action, resource and every condition match: the statement applies to the request */
  applies: boolean;
}

export interface PolicyEvaluation {
  decision: Decision;
  statements: StatementCheck[];
}

export function evaluatePolicy(policy: PolicyDocument, request: PolicyRequest): PolicyEvaluation {
  const context = lowerKeys(request.context);
  const statements = policy.statements.map((s, index) => checkStatement(s, index, request, context));
  const decision = statements.some((s) => s.applies && s.effect === 'Deny')
    ? 'explicit-deny'
    : statements.some((s) => s.applies && s.effect === 'Allow')
      ? 'allow'
      : 'implicit-deny';
  return { decision, statements };
}

function checkStatement(
  s: Statement,
  index: number,
  r: PolicyRequest,
  context: Record<string, string[]>,
): StatementCheck {
  const principal =
    s.principal !== undefined
      ? principalMatches(s.principal, r.principal)
      : s.notPrincipal !== undefined
        ? !principalMatches(s.notPrincipal, r.principal)
        : true;
  const action = s.action
    ? s.action.some((a) => globMatch(a, r.action, true))
    : s.notAction
      ? !s.notAction.some((a) => globMatch(a, r.action, true))
      : false;
  const resource =
    r.resource === undefined
      ? true
      : s.resource
        ? s.resource.some((p) => globMatch(p, r.resource!, false))
        : s.notResource
          ? !s.notResource.some((p) => globMatch(p, r.resource!, false))
          : true;
  const conditions: ConditionCheck[] = [];
  for (const [operator, keys] of Object.entries(s.condition))
    for (const [key, expected] of Object.entries(keys)) {
      const actual = context[key.toLowerCase()];
      conditions.push({
        operator,
        key,
        expected,
        ...(actual ? { actual } : {}),
        matches: conditionMatches(operator, expected, actual),
      });
    }
  const base = { index, ...(s.sid ? { sid: s.sid } : {}), effect: s.effect };
  return {
    ...base,
    principal,
    action,
    resource,
    conditions,
    applies: principal && action && resource && conditions.every((c) => c.matches),
  };
}

function lowerKeys(ctx: Record<string, string | string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(ctx)) out[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  return out;
}

/** `*` and `?` wildcards; actions compare case-insensitively, resources and condition values exactly. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

function principalMatches(block: PrincipalBlock, who: PolicyRequest['principal']): boolean {
  if (block === '*') return true;
  if (!who) return false;
  const listed = block[who.type] ?? [];
  return listed.some((p) => {
    if (p === '*') return true;
    if (who.type !== 'AWS') return p === who.id;
    // An account (12 digits or :root) names every principal of that account.
    const account = /^\d{12}$/.exec(p)?.[0] ?? /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1];
    if (account) return who.id.split(':')[4] === account;
    return p === who.id;
  });
}

const NEGATED = /^(StringNot|ArnNot|NotIpAddress)/;

/**
 * One condition key: its values are ORed. A key the request lacks matches only with ...IfExists, for a
 * negated operator, under ForAllValues, or for Null true; ForAnyValue/ForAllValues compare sets.
 */
export function conditionMatches(
  operator: string,
  expected: string[],
  actual: string[] | undefined,
): boolean {
  const m = /^(ForAnyValue:|ForAllValues:)?(.+?)(IfExists)?$/.exec(operator)!;
  const set = m[1];
  const op = m[2]!;
  const ifExists = Boolean(m[3]);
  if (op === 'Null') {
    const wantNull = expected.some((e) => e.toLowerCase() === 'true');
    return wantNull ? actual === undefined : actual !== undefined;
  }
  if (actual === undefined || actual.length === 0) {
    if (ifExists || set === 'ForAllValues:') return true;
    if (set === 'ForAnyValue:') return false;
    return NEGATED.test(op);
  }
  const one = (value: string) => singleMatches(op, expected, value);
  if (set === 'ForAllValues:') return actual.every(one);
  if (set === 'ForAnyValue:') return actual.some(one);
  // A negated operator on a multi-valued key requires that no value matches what it names.
  return NEGATED.test(op) ? actual.every(one) : actual.some(one);
}

function singleMatches(op: string, expected: string[], value: string): boolean {
  const any = (f: (e: string) => boolean) => expected.some(f);
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return any((e) => e === value);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !any((e) => e === value);
    case 'StringEqualsIgnoreCase':
      return any((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !any((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return any((e) => globMatch(e, value, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !any((e) => globMatch(e, value, false));
    case 'Bool':
      return any((e) => e.toLowerCase() === value.toLowerCase());
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals':
      return numeric(op, expected, Number(value));
    default:
      // An operator this evaluator does not know never matches, so it can only make a statement not apply.
      return false;
  }
}

function numeric(op: string, expected: string[], v: number): boolean {
  if (!Number.isFinite(v)) return false;
  const cmp: Record<string, (a: number, b: number) => boolean> = {
    NumericEquals: (a, b) => a === b,
    NumericNotEquals: (a, b) => a !== b,
    NumericLessThan: (a, b) => a < b,
    NumericLessThanEquals: (a, b) => a <= b,
    NumericGreaterThan: (a, b) => a > b,
    NumericGreaterThanEquals: (a, b) => a >= b,
  };
  const f = cmp[op]!;
  return op === 'NumericNotEquals'
    ? expected.every((e) => f(v, Number(e)))
    : expected.some((e) => f(v, Number(e)));
}
