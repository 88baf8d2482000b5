import { createHash, randomBytes } from 'node:crypto';
import { evaluatePolicies, type PolicySource, type RequestContext } from './aws/policy-evaluator.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  /** one of Action / NotAction */
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}
export interface OidcProvider {
  /** issuer WITHOUT https://, e.g. 127.0.0.1:4431/id/ABC */
  url: string;
  clientIds: string[];
  /** lowercase hex sha1 */
  thumbprints: string[];
  /** the account the provider lives in; default the IamAccount's own (STS needs it in the role's account) */
  accountId?: string;
  createDate?: Date;
}
export interface Role {
  arn: string;
  trustPolicy: PolicyDocument;
  policies: PolicyDocument[];
  /** seconds; STS refuses a longer DurationSeconds. Default 3600 as in IAM. */
  maxSessionDuration?: number;
  /** named inline policies (GetRolePolicy); the anonymous `policies` are listed as inline-policy-N */
  inlinePolicies?: Record<string, PolicyDocument>;
  /** managed policies (IamAccount.addManagedPolicy) attached to the role */
  attachedPolicyArns?: string[];
  /** a managed policy ARN used as permissions boundary */
  permissionsBoundaryArn?: string;
  description?: string;
  createDate?: Date;
  tags?: Record<string, string>;
}

/** An IAM user, e.g. the operator who runs the audit from a workstation. */
export interface IamUser {
  /** arn:PARTITION:iam::ACCT:user/PATH/NAME */
  arn: string;
  policies: PolicyDocument[];
  inlinePolicies?: Record<string, PolicyDocument>;
  attachedPolicyArns?: string[];
  permissionsBoundaryArn?: string;
  createDate?: Date;
}

export interface ManagedPolicyVersion {
  /** v1, v2, ... */
  id: string;
  document: PolicyDocument;
  createDate: Date;
}
export interface ManagedPolicy {
  /** arn:PARTITION:iam::ACCT:policy/PATH/NAME, or arn:PARTITION:iam::aws:policy/PATH/NAME */
  arn: string;
  name: string;
  path: string;
  /** ANPA... */
  policyId: string;
  versions: ManagedPolicyVersion[];
  defaultVersionId: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
}

/** Every policy that speaks for a principal, in the shapes IAM lists them. */
export interface IdentityPolicies {
  kind: 'role' | 'user';
  inline: Array<{ name: string; document: PolicyDocument }>;
  attached: ManagedPolicy[];
  boundary?: ManagedPolicy;
}
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** arn:aws:iam::ACCT:role/PATH/NAME */
  roleArn: string;
  /** arn:aws:sts::ACCT:assumed-role/NAME/SESSION */
  assumedRoleArn: string;
  /** AROA...:SESSION */
  assumedRoleId: string;
  account: string;
  expiration: Date;
  source: 'web-identity' | 'imds' | 'pod-identity' | 'static';
}

// Same grammar STS applies (REFERENCE section 5); the partition list is the one AWS publishes.
const ROLE_ARN_RE =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

export interface ParsedRoleArn {
  partition: string;
  account: string;
  path: string;
  name: string;
}

export function parseRoleArn(arn: string): ParsedRoleArn | undefined {
  const m = ROLE_ARN_RE.exec(arn);
  if (!m) return undefined;
  const rest = arn.slice(arn.indexOf(':role/') + ':role/'.length);
  const idx = rest.lastIndexOf('/');
  return {
    partition: m[1],
    account: m[2],
    path: idx < 0 ? '/' : `/${rest.slice(0, idx + 1)}`,
    name: rest.slice(idx + 1),
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomId(len: number): string {
  const bytes = randomBytes(len);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

/** Stable role id derived from the ARN so AROA ids look the same across sessions, as in AWS. */
function roleId(arn: string): string {
  return stableId('AROA', arn);
}

/** AROA (role), AIDA (user), ANPA (managed policy) ids derived from the ARN, stable across runs. */
export function stableId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += ALNUM[digest[i] % ALNUM.length];
  return out;
}

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  return globToRegExp(pattern, caseInsensitive).test(value);
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function actionMatches(stmt: PolicyStatement, action: string): boolean {
  return asArray(stmt.Action).some((a) => wildcardMatch(a, action, true));
}

export class IamAccount {
  readonly accountId: string;
  readonly partition: string;
  /** keyed by `ACCOUNT URL` so two accounts can register the same issuer */
  private readonly providers = new Map<string, OidcProvider>();
  private readonly roles = new Map<string, Role>();
  private readonly users = new Map<string, IamUser>();
  private readonly managedPolicies = new Map<string, ManagedPolicy>();
  private readonly credentials = new Map<string, IssuedCredentials>();

  constructor(opts: { accountId?: string; partition?: string } = {}) {
    this.accountId = opts.accountId ?? '111122223333';
    this.partition = opts.partition ?? 'aws';
  }

  addOidcProvider(p: OidcProvider): void {
    const url = stripScheme(p.url);
    const accountId = p.accountId ?? this.accountId;
    this.providers.set(`${accountId} ${url}`, {
      ...p,
      url,
      accountId,
      createDate: p.createDate ?? new Date(),
      thumbprints: p.thumbprints.map((t) => t.toLowerCase()),
    });
  }
  removeOidcProvider(url: string, accountId = this.accountId): void {
    this.providers.delete(`${accountId} ${stripScheme(url)}`);
  }
  findOidcProvider(url: string, accountId = this.accountId): OidcProvider | undefined {
    return this.providers.get(`${accountId} ${stripScheme(url)}`);
  }
  /** providers of one account (default this one), as ListOpenIDConnectProviders sees them */
  listOidcProviders(accountId = this.accountId): OidcProvider[] {
    return [...this.providers.values()].filter((p) => p.accountId === accountId);
  }
  oidcProviderArn(url: string, accountId = this.accountId): string {
    return `arn:${this.partition}:iam::${accountId}:oidc-provider/${stripScheme(url)}`;
  }

  /** Convenience for building a role ARN in this account. */
  roleArn(name: string, path = '/'): string {
    return `arn:${this.partition}:iam::${this.accountId}:role${path}${name}`;
  }

  addRole(r: Role): Role {
    r.createDate ??= new Date();
    this.roles.set(r.arn, r);
    return r;
  }
  listRoles(): Role[] {
    return [...this.roles.values()];
  }
  removeRole(arn: string): void {
    this.roles.delete(arn);
  }
  getRole(arn: string): Role | undefined {
    return this.roles.get(arn);
  }
  findRoleByName(name: string): Role | undefined {
    for (const r of this.roles.values()) if (parseRoleArn(r.arn)?.name === name) return r;
    return undefined;
  }

  userArn(name: string, path = '/'): string {
    return `arn:${this.partition}:iam::${this.accountId}:user${path}${name}`;
  }
  addUser(u: IamUser): IamUser {
    u.createDate ??= new Date();
    this.users.set(u.arn, u);
    return u;
  }
  getUser(arn: string): IamUser | undefined {
    return this.users.get(arn);
  }

  /** A customer managed policy (or an AWS managed one with `awsManaged`), versions v1..vN in order. */
  addManagedPolicy(p: {
    name: string;
    path?: string;
    documents: PolicyDocument[];
    /** 1-based index into documents; default the last */
    defaultVersion?: number;
    awsManaged?: boolean;
    description?: string;
  }): ManagedPolicy {
    if (p.documents.length === 0) throw new Error('a managed policy needs at least one version');
    const path = p.path ?? '/';
    const owner = p.awsManaged ? 'aws' : this.accountId;
    const arn = `arn:${this.partition}:iam::${owner}:policy${path}${p.name}`;
    const created = new Date();
    const policy: ManagedPolicy = {
      arn,
      name: p.name,
      path,
      policyId: stableId('ANPA', arn),
      versions: p.documents.map((document, i) => ({ id: `v${i + 1}`, document, createDate: created })),
      defaultVersionId: `v${p.defaultVersion ?? p.documents.length}`,
      description: p.description,
      createDate: created,
      updateDate: created,
    };
    this.managedPolicies.set(arn, policy);
    return policy;
  }
  getManagedPolicy(arn: string): ManagedPolicy | undefined {
    return this.managedPolicies.get(arn);
  }
  listManagedPolicies(): ManagedPolicy[] {
    return [...this.managedPolicies.values()];
  }
  /** the document of a managed policy's default version */
  defaultPolicyDocument(p: ManagedPolicy): PolicyDocument {
    return (p.versions.find((v) => v.id === p.defaultVersionId) ?? p.versions[p.versions.length - 1])
      .document;
  }

  /** Inline (named and anonymous), attached managed and boundary policies of a role or user. */
  identityPolicies(principalArn: string): IdentityPolicies | undefined {
    const role = this.roles.get(principalArn);
    const user = role ? undefined : this.users.get(principalArn);
    const p = role ?? user;
    if (!p) return undefined;
    const inline = [
      ...p.policies.map((document, i) => ({ name: `inline-policy-${i + 1}`, document })),
      ...Object.entries(p.inlinePolicies ?? {}).map(([name, document]) => ({ name, document })),
    ];
    const attached = (p.attachedPolicyArns ?? [])
      .map((arn) => this.managedPolicies.get(arn))
      .filter((m): m is ManagedPolicy => m !== undefined);
    const boundary = p.permissionsBoundaryArn
      ? this.managedPolicies.get(p.permissionsBoundaryArn)
      : undefined;
    return { kind: role ? 'role' : 'user', inline, attached, boundary };
  }

  /** The same policies as evaluator input, SourcePolicyId/Type as SimulatePrincipalPolicy names them. */
  policySources(principalArn: string): { identity: PolicySource[]; boundary?: PolicySource[] } | undefined {
    const p = this.identityPolicies(principalArn);
    if (!p) return undefined;
    const managed = (m: ManagedPolicy): PolicySource => ({
      id: m.name,
      type: m.arn.split(':')[4] === 'aws' ? 'aws-managed' : 'user-managed',
      document: this.defaultPolicyDocument(m),
    });
    return {
      identity: [
        ...p.inline.map((i): PolicySource => ({ id: i.name, type: p.kind, document: i.document })),
        ...p.attached.map(managed),
      ],
      boundary: p.boundary ? [managed(p.boundary)] : undefined,
    };
  }

  issueCredentials(
    roleArn: string,
    sessionName: string,
    source: IssuedCredentials['source'],
    ttlSeconds = 3600,
  ): IssuedCredentials {
    const parsed = parseRoleArn(roleArn);
    const name = parsed?.name ?? roleArn.split('/').pop() ?? 'unknown';
    const account = parsed?.account ?? this.accountId;
    const partition = parsed?.partition ?? this.partition;
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real session tokens are long opaque base64 blobs; length matters for RDS tokens (REFERENCE 8).
      // Real STS session tokens run to about a thousand characters; RDS tokens carrying them exceed 1000.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(760).toString('base64')}`,
      roleArn,
      assumedRoleArn: `arn:${partition}:sts::${account}:assumed-role/${name}/${sessionName}`,
      assumedRoleId: `${roleId(roleArn)}:${sessionName}`,
      account,
      expiration: new Date(Math.floor(Date.now() / 1000 + ttlSeconds) * 1000),
      source,
    };
    this.credentials.set(creds.accessKeyId, creds);
    return creds;
  }

  /** Long-term access key (AKIA..., no session token), e.g. static keys baked into a pod. */
  issueStaticKey(roleOrUserArn: string): IssuedCredentials {
    const creds: IssuedCredentials = {
      accessKeyId: `AKIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      roleArn: roleOrUserArn,
      assumedRoleArn: roleOrUserArn,
      assumedRoleId: `AIDA${randomId(17)}`,
      account: this.accountId,
      expiration: new Date(Date.now() + 365 * 86400_000),
      source: 'static',
    };
    this.credentials.set(creds.accessKeyId, creds);
    return creds;
  }

  /** Every credential issued so far, so leak tests can look for each secret in the agent's output. */
  issuedCredentials(): IssuedCredentials[] {
    return [...this.credentials.values()];
  }

  findCredentials(accessKeyId: string): IssuedCredentials | undefined {
    return this.credentials.get(accessKeyId);
  }
  revokeCredentials(accessKeyId: string): void {
    this.credentials.delete(accessKeyId);
  }

  /**
   * Identity-based policy evaluation for a role or user (inline, attached managed, boundary): explicit
   * Deny wins, then an Allow is needed. Conditions see only `context`.
   */
  isAllowed(principalArn: string, action: string, resource: string, context?: RequestContext): boolean {
    const sources = this.policySources(principalArn);
    if (!sources) return false;
    return (
      evaluatePolicies(sources.identity, { action, resource, context }, sources.boundary).decision ===
      'allowed'
    );
  }
}

function stripScheme(url: string): string {
  return url.replace(/^https:\/\//i, '');
}

function principalMatches(
  principal: unknown,
  req: { federatedPrincipal?: string; servicePrincipal?: string },
): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  if (req.federatedPrincipal && asArray(p.Federated as string | string[]).includes(req.federatedPrincipal))
    return true;
  if (req.servicePrincipal && asArray(p.Service as string | string[]).includes(req.servicePrincipal))
    return true;
  return asArray(p.AWS as string | string[]).includes('*');
}

function conditionsMatch(
  cond: PolicyStatement['Condition'],
  context: Record<string, string | string[]>,
): boolean {
  if (!cond) return true;
  // IAM condition keys are case-insensitive.
  const ctx = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), asArray(v)]));
  for (const [rawOp, block] of Object.entries(cond)) {
    for (const [key, expected] of Object.entries(block)) {
      if (!operatorMatches(rawOp, ctx.get(key.toLowerCase()), asArray(expected))) return false;
    }
  }
  return true;
}

function operatorMatches(rawOp: string, actual: string[] | undefined, expected: string[]): boolean {
  let op = rawOp;
  let qualifier: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) [qualifier, op] = ['any', op.slice(12)];
  else if (op.startsWith('ForAllValues:')) [qualifier, op] = ['all', op.slice(13)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -8);
  if (op === 'Null') {
    const wantNull = expected[0] === 'true';
    return wantNull === (actual === undefined || actual.length === 0);
  }
  if (actual === undefined || actual.length === 0) {
    if (ifExists || qualifier === 'all') return true;
    return op.startsWith('StringNot') && qualifier === undefined;
  }
  const single = (v: string): boolean | undefined => {
    switch (op) {
      case 'StringEquals':
        return expected.includes(v);
      case 'StringEqualsIgnoreCase':
        return expected.some((e) => e.toLowerCase() === v.toLowerCase());
      case 'StringLike':
        return expected.some((e) => wildcardMatch(e, v));
      case 'StringNotEquals':
        return !expected.includes(v);
      case 'StringNotEqualsIgnoreCase':
        return !expected.some((e) => e.toLowerCase() === v.toLowerCase());
      case 'StringNotLike':
        return !expected.some((e) => wildcardMatch(e, v));
      default:
        return undefined; // unknown operator: fail closed below
    }
  };
  const results = actual.map(single);
  if (results.some((r) => r === undefined)) return false;
  if (qualifier === 'all') return results.every(Boolean);
  if (qualifier === undefined && op.startsWith('StringNot')) return results.every(Boolean);
  return results.some(Boolean);
}

export function evaluateTrustPolicy(
  policy: PolicyDocument,
  req: {
    action: string;
    federatedPrincipal?: string;
    servicePrincipal?: string;
    context: Record<string, string | string[]>;
  },
): boolean {
  let allowed = false;
  for (const stmt of policy.Statement ?? []) {
    if (!principalMatches(stmt.Principal, req)) continue;
    if (!actionMatches(stmt, req.action)) continue;
    if (!conditionsMatch(stmt.Condition, req.context)) continue;
    if (stmt.Effect === 'Deny') return false;
    if (stmt.Effect === 'Allow') allowed = true;
  }
  return allowed;
}
