// Role ARN parsing that explains what is wrong, not just that something is (REFERENCE section 5).
// The ARN usually arrives via a ServiceAccount annotation typed or pasted by hand, so the problems
// we name are the ones people make: stray whitespace or quotes from YAML, an extra colon, a
// 10/11-digit account, a user or assumed-role ARN instead of the role.

export type ArnProblemCode =
  | 'empty'
  | 'whitespace'
  | 'quotes'
  | 'extra-colon'
  | 'not-arn'
  | 'partition'
  | 'service'
  | 'region-not-empty'
  | 'account'
  | 'resource-type'
  | 'role-name'
  | 'path';

export type ArnProblem = { code: ArnProblemCode; message: string };

export interface RoleArn {
  partition: string;
  account: string;
  /** '/' or '/a/b/' */
  path: string;
  name: string;
  /** The canonical ARN rebuilt from the parts. */
  arn: string;
}

export const PARTITIONS: readonly string[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

const NAME_RE = /^[\w+=,.@-]{1,64}$/;
const NAME_CHAR_RE = /[\w+=,.@-]/;
// IAM paths: printable ASCII except '/' inside a segment, 512 characters in all.
const PATH_SEGMENT_RE = /^[\u0021-\u002E\u0030-\u007E]+$/;
const QUOTES = /^["'`\u2018\u2019\u201C\u201D]|["'`\u2018\u2019\u201C\u201D]$/;
/** amazon-eks-pod-identity-webhook's own check; it logs but still injects ARNs that fail it. */
export const WEBHOOK_ROLE_ARN_RE = /^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w\-/.@+=,]+$/;

export function parseRoleArn(
  raw: string,
): { ok: true; arn: RoleArn } | { ok: false; problems: ArnProblem[] } {
  const problems: ArnProblem[] = [];
  const add = (code: ArnProblemCode, message: string) => problems.push({ code, message });
  if (raw.trim() === '') {
    add('empty', 'the role ARN is empty');
    return { ok: false, problems };
  }
  let s = raw;
  if (s !== s.trim()) {
    add(
      'whitespace',
      'the role ARN has leading or trailing whitespace (often a newline or space pasted into YAML)',
    );
    s = s.trim();
  }
  if (QUOTES.test(s)) {
    add(
      'quotes',
      `the role ARN is wrapped in quote characters (${JSON.stringify(s[0])}) that became part of the value`,
    );
    s = s.replace(/^["'`\u2018\u2019\u201C\u201D]+|["'`\u2018\u2019\u201C\u201D]+$/g, '').trim();
  }
  if (/\s/.test(s)) add('whitespace', 'the role ARN contains whitespace inside it');

  const parts = s.split(':');
  if (parts[0] !== 'arn') {
    add('not-arn', `"${preview(s)}" does not start with "arn:"; expected arn:aws:iam::ACCOUNT:role/NAME`);
    return { ok: false, problems };
  }
  if (parts.length < 6) {
    add(
      'not-arn',
      `the ARN has ${parts.length - 1} colons where a role ARN has 5 (arn:PARTITION:iam::ACCOUNT:role/NAME)`,
    );
    return { ok: false, problems };
  }
  // With extra colons, the account and resource are most likely the last two fields: judge those too.
  const partition = parts[1]!;
  const service = parts[2]!;
  let region = parts[3]!;
  let account = parts[4]!;
  let resource = parts.slice(5).join(':');
  if (parts.length > 6) {
    add(
      'extra-colon',
      `the ARN has ${parts.length - 1} colons where a role ARN has 5 (arn:PARTITION:iam::ACCOUNT:role/NAME)`,
    );
    const r = parts.findIndex((p, i) => i >= 4 && p.includes('/'));
    const at = r > 0 ? r : parts.length - 1;
    region = parts.slice(3, at - 1).join('');
    account = parts[at - 1]!;
    resource = parts.slice(at).join(':');
  }
  if (!PARTITIONS.includes(partition)) {
    add('partition', `partition "${partition}" is not one of ${PARTITIONS.join(', ')}`);
  }
  if (service !== 'iam') {
    const hint = resource.startsWith('assumed-role/')
      ? ' (this is an STS assumed-role session ARN; the role ARN is arn:PARTITION:iam::ACCOUNT:role/NAME)'
      : '';
    add('service', `service is "${service}", a role ARN has "iam"${hint}`);
  }
  if (region !== '') add('region-not-empty', `IAM ARNs have no region, but this one has "${region}"`);
  if (!/^\d{12}$/.test(account)) add('account', accountMessage(account));
  checkResource(resource, add);
  if (problems.length > 0) return { ok: false, problems };
  const { path, name } = splitResource(resource);
  return {
    ok: true,
    arn: { partition, account, path, name, arn: `arn:${partition}:iam::${account}:role${path}${name}` },
  };
}

function accountMessage(account: string): string {
  if (account === '') return 'the account ID is missing (arn:aws:iam::ACCOUNT:role/NAME)';
  if (/^\d+$/.test(account))
    return `the account ID "${account}" has ${account.length} digits; it must have 12`;
  if (/^[\d-]+$/.test(account))
    return `the account ID "${account}" contains dashes; write the 12 digits without them`;
  return `the account ID "${preview(account)}" is not 12 digits (an account alias does not work in an ARN)`;
}

function checkResource(resource: string, add: (c: ArnProblemCode, m: string) => void): void {
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  if (type !== 'role') {
    const what = ['user', 'group', 'policy', 'oidc-provider', 'instance-profile', 'assumed-role'].includes(
      type,
    )
      ? `names an IAM ${type}, not a role`
      : `has resource "${preview(resource)}", not role/NAME`;
    add('resource-type', `the ARN ${what}; IRSA needs arn:aws:iam::ACCOUNT:role/NAME`);
    return;
  }
  if (slash < 0) {
    add('role-name', 'the role name is missing after "role/"');
    return;
  }
  const { path, name } = splitResource(resource);
  if (!NAME_RE.test(name)) {
    const bad = [...name].filter((c) => !NAME_CHAR_RE.test(c));
    if (name.length === 0) add('role-name', 'the role name is empty (the ARN ends with "/")');
    else if (name.length > 64) add('role-name', `the role name has ${name.length} characters; IAM allows 64`);
    else
      add(
        'role-name',
        `the role name "${preview(name)}" contains ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(', ')}; allowed are letters, digits and + = , . @ _ -`,
      );
  }
  const segments = path.split('/').slice(1, -1);
  if (path.length > 512) add('path', `the role path has ${path.length} characters; IAM allows 512`);
  if (segments.some((seg) => seg === '')) add('path', `the role path "${path}" has an empty segment ("//")`);
  else if (segments.some((seg) => !PATH_SEGMENT_RE.test(seg)))
    add(
      'path',
      `the role path "${preview(path)}" contains characters IAM does not allow (printable ASCII only)`,
    );
}

function splitResource(resource: string): { path: string; name: string } {
  const rest = resource.slice('role/'.length);
  const last = rest.lastIndexOf('/');
  return last < 0
    ? { path: '/', name: rest }
    : { path: `/${rest.slice(0, last)}/`, name: rest.slice(last + 1) };
}

function preview(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** What the annotation should look like, with the parts we could recover filled in. */
export function suggestedRoleArn(raw: string): string {
  const s = raw.trim().replace(/^["'`]+|["'`]+$/g, '');
  const parts = s.split(':');
  const partition = PARTITIONS.includes(parts[1] ?? '') ? parts[1]! : 'aws';
  const account = parts.find((p) => /^\d{12}$/.test(p)) ?? 'ACCOUNT_ID';
  const res = parts.at(-1) ?? '';
  const name = res.startsWith('role/') && res.length > 5 ? res.slice(5) : 'ROLE_NAME';
  return `arn:${partition}:iam::${account}:role/${name}`;
}
