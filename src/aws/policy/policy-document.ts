// IAM policy documents as IAM returns them (URL-encoded JSON in GetRole, GetPolicyVersion, GetRolePolicy;
// plain JSON from OpenSearch), normalised so every list-or-single field is a list.

export type PrincipalType = 'AWS' | 'Federated' | 'Service' | 'CanonicalUser';

/** A principal block: `"*"`, or lists of principals by type. */
export type PrincipalBlock = '*' | Partial<Record<PrincipalType, string[]>>;

/** condition operator -> condition key -> expected values */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionBlock;
  /** The statement as written, for fixes and details. */
  raw: Record<string, unknown>;
}

export interface PolicyDocument {
  version?: string;
  statements: Statement[];
}

export type ParsedPolicy = { ok: true; policy: PolicyDocument } | { ok: false; problem: string };

/** Refuses absurd documents: IAM's own limits are 10 KB (identity) and 2 KB (trust); domains allow more. */
const MAX_POLICY_CHARS = 1_000_000;

/** Parses a policy document from a string (URL-encoded or not) or an already parsed object. */
export function parsePolicyDocument(input: unknown): ParsedPolicy {
  let doc = input;
  if (typeof doc === 'string') {
    if (doc.length > MAX_POLICY_CHARS)
      return { ok: false, problem: `the document is ${doc.length} characters` };
    const text = /^\s*%7B/i.test(doc) ? safeDecode(doc) : doc;
    if (text === undefined) return { ok: false, problem: 'the document is not valid URL-encoded text' };
    try {
      doc = JSON.parse(text);
    } catch {
      return { ok: false, problem: 'the document is not JSON' };
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return { ok: false, problem: 'the document is not a JSON object' };
  const o = doc as Record<string, unknown>;
  const rawStatements = Array.isArray(o.Statement)
    ? o.Statement
    : o.Statement === undefined
      ? []
      : [o.Statement];
  const statements: Statement[] = [];
  for (const [i, s] of rawStatements.entries()) {
    const parsed = parseStatement(s);
    if (typeof parsed === 'string') return { ok: false, problem: `statement ${i + 1}: ${parsed}` };
    statements.push(parsed);
  }
  return {
    ok: true,
    policy: { ...(typeof o.Version === 'string' ? { version: o.Version } : {}), statements },
  };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

function parseStatement(s: unknown): Statement | string {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return 'not a JSON object';
  const o = s as Record<string, unknown>;
  if (o.Effect !== 'Allow' && o.Effect !== 'Deny')
    return `Effect must be Allow or Deny, not ${JSON.stringify(o.Effect)}`;
  const out: Statement = { effect: o.Effect, condition: {}, raw: o };
  if (typeof o.Sid === 'string') out.sid = o.Sid;
  for (const [key, field] of [
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ] as const) {
    if (o[key] === undefined) continue;
    const list = stringList(o[key]);
    if (!list) return `${key} must be a string or a list of strings`;
    out[field] = list;
  }
  for (const [key, field] of [
    ['Principal', 'principal'],
    ['NotPrincipal', 'notPrincipal'],
  ] as const) {
    if (o[key] === undefined) continue;
    const block = principalBlock(o[key]);
    if ('problem' in block) return `${key}: ${block.problem}`;
    out[field] = block.block;
  }
  if (o.Condition !== undefined) {
    if (!o.Condition || typeof o.Condition !== 'object' || Array.isArray(o.Condition))
      return 'Condition must be an object';
    for (const [op, keys] of Object.entries(o.Condition as Record<string, unknown>)) {
      if (!keys || typeof keys !== 'object' || Array.isArray(keys))
        return `Condition ${op} must be an object`;
      const block: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(keys as Record<string, unknown>)) {
        // Booleans and numbers are written unquoted as often as quoted; IAM compares their text.
        const list = stringList(typeof v === 'boolean' || typeof v === 'number' ? String(v) : v, true);
        if (!list) return `Condition ${op} ${k} must be a string or a list of strings`;
        block[k] = list;
      }
      out.condition[op] = block;
    }
  }
  return out;
}

function stringList(v: unknown, scalars = false): string[] | undefined {
  const ok = (x: unknown) =>
    typeof x === 'string' || (scalars && (typeof x === 'boolean' || typeof x === 'number'));
  if (ok(v)) return [String(v)];
  if (Array.isArray(v) && v.every(ok)) return v.map(String);
  return undefined;
}

function principalBlock(v: unknown): { block: PrincipalBlock } | { problem: string } {
  if (v === '*') return { block: '*' };
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return { problem: 'must be "*" or an object of principal types' };
  const out: Partial<Record<PrincipalType, string[]>> = {};
  for (const [type, value] of Object.entries(v as Record<string, unknown>)) {
    if (!['AWS', 'Federated', 'Service', 'CanonicalUser'].includes(type))
      return { problem: `unknown principal type ${type}` };
    const list = stringList(value);
    if (!list) return { problem: `${type} must be a string or a list of strings` };
    out[type as PrincipalType] = list;
  }
  return { block: out };
}
