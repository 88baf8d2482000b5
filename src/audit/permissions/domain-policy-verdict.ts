// What an OpenSearch domain access policy says to the role's request, judged by our evaluator the way
// OpenSearch Service does: the request's principal is the role's assumed-role session, which a statement
// naming the role ARN (or its account) matches. Conditions on keys only the real request carries
// (aws:SourceIp, aws:SourceVpc, ...) leave the verdict open instead of guessing it. Pure.
import { evaluatePolicy, type StatementCheck } from '../../aws/policy/evaluate-policy.js';
import type { PolicyDocument, Statement } from '../../aws/policy/policy-document.js';
import { statementRef } from '../trust/trust-analysis.js';

/** What one side (a policy, or a kind of policy) says: allows, denies explicitly, or says nothing. */
export type Say = 'allow' | 'deny' | 'silent';

/**
 * What the domain policy says: `delegate` is an Allow that names the role's account (its root or bare
 * id) rather than the role or everyone, which grants nothing by itself: the account's own identity
 * policies must then allow (IAM's rule for an account principal in a resource policy).
 */
export type DomainSay = Say | 'delegate';

export interface DomainPolicyRequest {
  /** arn:PARTITION:iam::ACCOUNT:role/PATH/NAME */
  roleArn: string;
  action: string;
  /** arn:PARTITION:es:REGION:ACCOUNT:domain/NAME/* */
  resource: string;
  /** the client uses https */
  secureTransport: boolean;
}

export interface DomainPolicyVerdict {
  /** one value when the policy decides alone; several when unknown condition keys decide */
  possible: DomainSay[];
  /** how a fix names the Deny that matches (or may match) */
  denyStatement?: string;
  allowStatement?: string;
  /** the condition keys the verdict waits on */
  unknownKeys: string[];
}

/** The keys the audit knows for the pod's request; any other key is the real request's alone. */
const KNOWN_KEYS = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:securetransport',
]);

export function judgeDomainPolicy(policy: PolicyDocument, r: DomainPolicyRequest): DomainPolicyVerdict {
  const result = evaluatePolicy(policy, {
    principal: { type: 'AWS', id: r.roleArn },
    action: r.action,
    resource: r.resource,
    context: {
      'aws:PrincipalArn': r.roleArn,
      'aws:PrincipalAccount': r.roleArn.split(':')[4] ?? '',
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': String(r.secureTransport),
    },
  });
  const sure: Record<'Allow' | 'Deny', StatementCheck[]> = { Allow: [], Deny: [] };
  const maybe: Record<'Allow' | 'Deny', StatementCheck[]> = { Allow: [], Deny: [] };
  for (const c of result.statements) {
    if (!c.principal || !c.action || !c.resource) continue;
    const known = c.conditions.filter((k) => KNOWN_KEYS.has(k.key.toLowerCase()));
    if (!known.every((k) => k.matches)) continue;
    const open = c.conditions.length > known.length;
    (open ? maybe : sure)[c.effect].push(c);
  }
  const ref = (c: StatementCheck | undefined) =>
    c ? statementRef(policy.statements[c.index]!, c.index) : undefined;
  const keysOf = (list: StatementCheck[]) =>
    list.flatMap((c) => c.conditions.filter((k) => !KNOWN_KEYS.has(k.key.toLowerCase())).map((k) => k.key));
  if (sure.Deny.length > 0) return { possible: ['deny'], denyStatement: ref(sure.Deny[0])!, unknownKeys: [] };
  const possible = new Set<DomainSay>();
  const unknown: string[] = [];
  if (maybe.Deny.length > 0) {
    possible.add('deny');
    unknown.push(...keysOf(maybe.Deny));
  }
  // The strongest Allow that surely applies decides; one that may apply adds what it would say.
  const strength = (c: StatementCheck): DomainSay =>
    namesRoleOrAnyone(policy.statements[c.index]!.principal, r.roleArn) ? 'allow' : 'delegate';
  const sureSay: DomainSay = sure.Allow.some((c) => strength(c) === 'allow')
    ? 'allow'
    : sure.Allow.length > 0
      ? 'delegate'
      : 'silent';
  possible.add(sureSay);
  for (const c of maybe.Allow) {
    const say = strength(c);
    if (sureSay === 'allow' || (sureSay === 'delegate' && say === 'delegate')) continue;
    possible.add(say);
    unknown.push(...keysOf([c]));
  }
  const deny = ref(maybe.Deny[0]);
  const allow = ref(sure.Allow[0] ?? maybe.Allow[0]);
  return {
    possible: [...possible],
    ...(deny ? { denyStatement: deny } : {}),
    ...(allow ? { allowStatement: allow } : {}),
    unknownKeys: [...new Set(unknown)],
  };
}

/** `*`, or the role's own ARN, among the AWS principals (or an Allow without a Principal block at all). */
function namesRoleOrAnyone(p: Statement['principal'], roleArn: string): boolean {
  if (p === undefined || p === '*') return true;
  return (p.AWS ?? []).some((x) => x === '*' || x === roleArn);
}
