// Why a role's trust policy admits a ServiceAccount's web identity token, or which statement came closest
// and which of its parts did not match. Pure: the request is what STS evaluates (REFERENCE section 3).
import {
  type ConditionCheck,
  evaluatePolicy,
  type StatementCheck,
} from '../../aws/policy/evaluate-policy.js';
import type { PolicyDocument, Statement } from '../../aws/policy/policy-document.js';
import { issuerHostOf } from '../../aws/trust-policy.js';

export interface TrustRequest {
  providerArn: string;
  issuer: string;
  subject: string;
  audience: string;
}

/** One part of a statement that did not match the request. */
export interface FailedPart {
  part: 'principal' | 'action' | 'resource' | 'condition';
  observed?: string[];
  expected?: string[];
  operator?: string;
  key?: string;
}

export interface ClosestStatement {
  statement: string;
  /** the parts of it that did not match */
  failed: FailedPart[];
}

export type TrustVerdict =
  | { kind: 'admits'; statement: string }
  | { kind: 'denied'; statement: string }
  /** * or ? under StringEquals: matched literally, admits nothing real */
  | { kind: 'wildcard'; statement: string; key: string; value: string }
  /** a statement that would admit the token names another issuer's provider and condition keys */
  | { kind: 'other-issuer'; statement: string; providerArn: string }
  | { kind: 'mismatch'; closest?: ClosestStatement };

const ACTION = 'sts:AssumeRoleWithWebIdentity';

export function analyseTrust(policy: PolicyDocument, r: TrustRequest): TrustVerdict {
  const host = issuerHostOf(r.issuer);
  const request = {
    principal: { type: 'Federated' as const, id: r.providerArn },
    action: ACTION,
    context: { [`${host}:sub`]: r.subject, [`${host}:aud`]: r.audience },
  };
  const result = evaluatePolicy(policy, request);
  const ref = (c: StatementCheck) => statementRef(policy.statements[c.index]!, c.index);
  if (result.decision === 'explicit-deny')
    return {
      kind: 'denied',
      statement: ref(result.statements.find((s) => s.applies && s.effect === 'Deny')!),
    };
  if (result.decision === 'allow')
    return {
      kind: 'admits',
      statement: ref(result.statements.find((s) => s.applies && s.effect === 'Allow')!),
    };

  const allows = result.statements.filter((s) => s.effect === 'Allow' && s.action);
  for (const c of allows) {
    // The same statement with StringLike for StringEquals: does the wildcard alone keep it out?
    const literal = c.conditions.find(
      (x) =>
        !x.matches && /^StringEquals(IfExists)?$/.test(x.operator) && x.expected.some((v) => /[*?]/.test(v)),
    );
    if (
      literal &&
      c.principal &&
      evaluatePolicy({ statements: [asLike(policy.statements[c.index]!)] }, request).decision === 'allow'
    )
      return {
        kind: 'wildcard',
        statement: ref(c),
        key: literal.key,
        value: literal.expected.find((v) => /[*?]/.test(v))!,
      };
  }
  for (const c of allows) {
    const other = otherIssuerProvider(policy.statements[c.index]!, r.providerArn);
    if (!other) continue;
    // Rewrite the other issuer's provider and keys to this one's: would the statement admit the token?
    const otherHost = other.slice(other.indexOf('oidc-provider/') + 'oidc-provider/'.length);
    const moved = retarget(policy.statements[c.index]!, other, r.providerArn, otherHost, host);
    if (evaluatePolicy({ statements: [moved] }, request).decision === 'allow')
      return { kind: 'other-issuer', statement: ref(c), providerArn: other };
  }
  const closest = closestStatement(allows, ref);
  return { kind: 'mismatch', ...(closest ? { closest } : {}) };
}

/**
 * Of the Allow statements that did not admit the request, the one that failed on the fewest parts, and
 * those parts: what a fix should change. Trust policies for IRSA and for Pod Identity alike.
 */
export function closestStatement(
  allows: readonly StatementCheck[],
  ref: (c: StatementCheck) => string,
): ClosestStatement | undefined {
  const closest = [...allows].sort((a, b) => failures(a).length - failures(b).length)[0];
  return closest ? { statement: ref(closest), failed: failures(closest) } : undefined;
}

/** `Sid "X"` or `statement 2`: how a fix names the statement. */
export function statementRef(s: Statement, index: number): string {
  return s.sid ? `Sid ${JSON.stringify(s.sid)}` : `statement ${index + 1}`;
}

function failures(c: StatementCheck): FailedPart[] {
  const out: FailedPart[] = [];
  if (!c.principal) out.push({ part: 'principal' });
  if (!c.action) out.push({ part: 'action' });
  for (const x of c.conditions.filter((k: ConditionCheck) => !k.matches))
    out.push({
      part: 'condition',
      operator: x.operator,
      key: x.key,
      expected: x.expected,
      ...(x.actual ? { observed: x.actual } : {}),
    });
  return out;
}

function asLike(s: Statement): Statement {
  const condition: Statement['condition'] = {};
  for (const [op, keys] of Object.entries(s.condition))
    condition[op.replace(/^StringEquals(IfExists)?$/, 'StringLike$1')] = {
      ...condition[op.replace(/^StringEquals(IfExists)?$/, 'StringLike$1')],
      ...keys,
    };
  return { ...s, condition };
}

function otherIssuerProvider(s: Statement, expected: string): string | undefined {
  if (s.principal === undefined || s.principal === '*') return undefined;
  return (s.principal.Federated ?? []).find((p) => p !== expected && /:oidc-provider\//.test(p));
}

function retarget(s: Statement, fromArn: string, toArn: string, fromHost: string, toHost: string): Statement {
  const principal =
    s.principal && s.principal !== '*'
      ? { ...s.principal, Federated: (s.principal.Federated ?? []).map((p) => (p === fromArn ? toArn : p)) }
      : s.principal;
  const condition: Statement['condition'] = {};
  for (const [op, keys] of Object.entries(s.condition)) {
    condition[op] = {};
    for (const [k, v] of Object.entries(keys))
      condition[op][k.startsWith(`${fromHost}:`) ? `${toHost}${k.slice(fromHost.length)}` : k] = v;
  }
  return { ...s, ...(principal ? { principal } : {}), condition };
}
