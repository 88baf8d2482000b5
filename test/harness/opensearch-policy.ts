// The IAM half of an Amazon OpenSearch Service domain: the domain access policy (resource-based) and the
// caller's identity policy, combined the way the service documents it ("When policies collide", ac.md):
//
//              | resource allows | resource denies | resource silent
//   id allows  | Allow           | Deny            | Allow
//   id denies  | Deny            | Deny            | Deny
//   id silent  | Allow           | Deny            | Deny
//
// Which of the two real denial texts the caller sees when nothing allows:
// - "no resource-based policy allows" when the domain has an access policy that does not grant this principal
//   (anonymous callers always get this one: they have no identity policy to blame);
// - "no identity-based policy allows" when there is no access policy, or when the access policy only names the
//   account (arn:aws:iam::ACCT:root): an account principal delegates to IAM, so the role's own policy is what is
//   missing (observed on real domains whose policy grants es:ESHttp* to the account principal).
import type { IamAccount, IssuedCredentials, PolicyDocument, PolicyStatement } from './iam.js';
import { wildcardMatch } from './iam.js';

export type PolicyEffect = 'allow' | 'deny' | 'none';

export type AccessDecision =
  | { allowed: true; via: 'resource-policy' | 'identity-policy' }
  | {
      allowed: false;
      reason:
        | 'no-resource-policy-allows'
        | 'no-identity-policy-allows'
        | 'explicit-deny-resource'
        | 'explicit-deny-identity';
      message: string;
    };

export interface AccessRequest {
  /** undefined for an unsigned request (the "anonymous" principal) */
  caller?: IssuedCredentials;
  /** es:ESHttpGet ... */
  action: string;
  /** arn:aws:es:REGION:ACCT:domain/DOMAIN/PATH */
  resource: string;
  sourceIp: string;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** es:ESHttpGet for GET, and so on for every method the OpenSearch API accepts. */
export function esActionFor(method: string): string {
  const m = method.toUpperCase();
  return `es:ESHttp${m.charAt(0)}${m.slice(1).toLowerCase()}`;
}

type PrincipalMatch = 'direct' | 'account' | 'none';

/** How a statement's Principal names the caller: directly (role, its session, or '*'), via the account, or not. */
function principalMatch(principal: unknown, caller: IssuedCredentials | undefined): PrincipalMatch {
  const names =
    principal === '*'
      ? ['*']
      : principal && typeof principal === 'object'
        ? asArray((principal as Record<string, unknown>).AWS as string | string[] | undefined)
        : [];
  if (names.includes('*')) return 'direct';
  if (!caller) return 'none';
  // Role sessions match policies that name the role (IAM does the same); the session ARN works too.
  if (names.some((n) => n === caller.roleArn || n === caller.assumedRoleArn)) return 'direct';
  const root = `arn:${caller.roleArn.split(':')[1]}:iam::${caller.account}:root`;
  if (names.some((n) => n === caller.account || n === root)) return 'account';
  return 'none';
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return m.slice(1).reduce((acc, o) => acc * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsRaw] = cidr.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base);
  if (a === undefined || b === undefined) return ip === base;
  const bits = bitsRaw === undefined ? 32 : Number(bitsRaw);
  if (bits <= 0) return true;
  return a >>> (32 - bits) === b >>> (32 - bits);
}

/** Domain policies in practice use only IP conditions; anything else fails closed (statement ignored). */
function conditionHolds(cond: PolicyStatement['Condition'], sourceIp: string): boolean {
  if (!cond) return true;
  for (const [op, block] of Object.entries(cond)) {
    for (const [key, values] of Object.entries(block)) {
      if (key.toLowerCase() !== 'aws:sourceip') return false;
      const hit = asArray(values).some((c) => inCidr(sourceIp, c));
      if (op === 'IpAddress' && !hit) return false;
      if (op === 'NotIpAddress' && hit) return false;
      if (op !== 'IpAddress' && op !== 'NotIpAddress') return false;
    }
  }
  return true;
}

function evaluateResourcePolicy(
  policy: PolicyDocument | undefined,
  req: AccessRequest,
): { effect: PolicyEffect; namesAccountOnly: boolean } {
  let effect: PolicyEffect = 'none';
  let namesAccountOnly = false;
  for (const stmt of policy?.Statement ?? []) {
    if (!asArray(stmt.Action).some((a) => wildcardMatch(a, req.action, true))) continue;
    const resources = stmt.Resource === undefined ? ['*'] : asArray(stmt.Resource);
    if (!resources.some((r) => wildcardMatch(r, req.resource))) continue;
    if (!conditionHolds(stmt.Condition, req.sourceIp)) continue;
    const match = principalMatch(stmt.Principal, req.caller);
    if (match === 'none') continue;
    if (stmt.Effect === 'Deny') return { effect: 'deny', namesAccountOnly: false };
    if (match === 'direct') effect = 'allow';
    else namesAccountOnly = true;
  }
  return { effect, namesAccountOnly: effect === 'none' && namesAccountOnly };
}

function evaluateIdentity(iam: IamAccount, req: AccessRequest): PolicyEffect {
  if (!req.caller) return 'none';
  if (iam.isAllowed(req.caller.roleArn, req.action, req.resource)) return 'allow';
  // isAllowed folds Deny into false; the denial text needs to know which it was.
  const role = iam.getRole(req.caller.roleArn);
  const denies = role?.policies.some((doc) =>
    doc.Statement.some(
      (s) =>
        s.Effect === 'Deny' &&
        asArray(s.Action).some((a) => wildcardMatch(a, req.action, true)) &&
        (s.Resource === undefined ? ['*'] : asArray(s.Resource)).some((r) => wildcardMatch(r, req.resource)),
    ),
  );
  return denies ? 'deny' : 'none';
}

export function evaluateDomainAccess(
  iam: IamAccount,
  accessPolicy: PolicyDocument | undefined,
  req: AccessRequest,
): AccessDecision {
  const who = req.caller?.assumedRoleArn ?? 'anonymous';
  const resource = evaluateResourcePolicy(accessPolicy, req);
  const identity = evaluateIdentity(iam, req);
  const denied = (
    reason: Exclude<AccessDecision, { allowed: true }>['reason'],
    tail: string,
  ): AccessDecision => ({
    allowed: false,
    reason,
    message: `User: ${who} is not authorized to perform: ${req.action} ${tail}`,
  });
  if (resource.effect === 'deny')
    return denied('explicit-deny-resource', 'with an explicit deny in a resource-based policy');
  if (identity === 'deny')
    return denied('explicit-deny-identity', 'with an explicit deny in an identity-based policy');
  if (resource.effect === 'allow') return { allowed: true, via: 'resource-policy' };
  if (identity === 'allow') return { allowed: true, via: 'identity-policy' };
  const hasPolicy = (accessPolicy?.Statement.length ?? 0) > 0;
  if (req.caller && (!hasPolicy || resource.namesAccountOnly))
    return denied(
      'no-identity-policy-allows',
      `because no identity-based policy allows the ${req.action} action`,
    );
  return denied(
    'no-resource-policy-allows',
    `because no resource-based policy allows the ${req.action} action`,
  );
}
