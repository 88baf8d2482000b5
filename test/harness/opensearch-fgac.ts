// Fine-grained access control (the OpenSearch security plugin as Amazon OpenSearch Service runs it): after IAM
// lets a signed request in, the plugin sees the IAM principal as a user whose name AND single backend role are
// the role ARN (not the session ARN), maps it to OpenSearch roles via rolesmapping, and checks the transport
// action the endpoint runs. A role that is not mapped gets the security_exception naming that action.

export interface RoleMapping {
  backend_roles?: string[];
  users?: string[];
  hosts?: string[];
}

export interface FgacConfig {
  enabled: boolean;
  roleMappings: Record<string, RoleMapping>;
  /** extra role definitions: role name -> allowed action patterns (`*` wildcard) */
  roles?: Record<string, string[]>;
}

export interface FgacUser {
  name: string;
  backendRoles: string[];
  /** OpenSearch roles the mappings give this user */
  roles: string[];
}

export const ANONYMOUS_USER = 'opendistro_security_anonymous';
const ANONYMOUS_BACKEND_ROLE = 'opendistro_security_anonymous_backendrole';

// The reserved roles a domain ships with, reduced to the action families they grant.
const BUILTIN_ROLES: Record<string, string[]> = {
  all_access: ['*'],
  readall: ['cluster:monitor/main', 'indices:data/read/*', 'indices:admin/get', 'indices:admin/mappings/get'],
  readall_and_monitor: [
    'cluster:monitor/*',
    'indices:data/read/*',
    'indices:monitor/*',
    'indices:admin/get',
    'indices:admin/mappings/get',
  ],
};

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(value);
}

export function resolveUser(principal: string | undefined, fgac: FgacConfig): FgacUser {
  const name = principal ?? ANONYMOUS_USER;
  const backendRoles = [principal ?? ANONYMOUS_BACKEND_ROLE];
  const roles = Object.entries(fgac.roleMappings)
    .filter(
      ([, m]) =>
        (m.users ?? []).some((u) => globMatch(u, name)) ||
        (m.backend_roles ?? []).some((b) => backendRoles.some((r) => globMatch(b, r))),
    )
    .map(([role]) => role)
    .sort();
  return { name, backendRoles, roles };
}

/** The transport action the security plugin evaluates for an endpoint; undefined = no privilege check. */
export function securityActionFor(method: string, pathname: string): string | undefined {
  const m = method.toUpperCase();
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === '_plugins' || parts[0] === '_opendistro') {
    // The account and authinfo endpoints answer every authenticated user.
    return undefined;
  }
  if (parts.length === 0) return 'cluster:monitor/main';
  if (parts[0] === '_cluster' && parts[1] === 'health') return 'cluster:monitor/health';
  if (parts[0] === '_cat' && parts[1] === 'health') return 'cluster:monitor/health';
  if (parts[0] === '_cat' && parts[1] === 'indices') return 'indices:monitor/settings/get';
  if (parts[0] === '_bulk') return 'indices:data/write/bulk';
  if (parts[0] === '_search' || parts[1] === '_search') return 'indices:data/read/search';
  if (parts[1] === '_doc' || parts[1] === '_create')
    return m === 'GET' || m === 'HEAD'
      ? 'indices:data/read/get'
      : m === 'DELETE'
        ? 'indices:data/write/delete'
        : 'indices:data/write/index';
  if (parts.length === 1) {
    if (m === 'PUT') return 'indices:admin/create';
    if (m === 'DELETE') return 'indices:admin/delete';
    return 'indices:admin/get';
  }
  return `indices:unknown/${parts.join('/')}`;
}

export function permits(user: FgacUser, action: string, fgac: FgacConfig): boolean {
  return user.roles.some((role) =>
    (fgac.roles?.[role] ?? BUILTIN_ROLES[role] ?? []).some((p) => globMatch(p, action)),
  );
}

function userString(user: FgacUser): string {
  return `User [name=${user.name}, backend_roles=[${user.backendRoles.join(', ')}], requestedTenant=null]`;
}

export function securityException(action: string, user: FgacUser): object {
  const reason = `no permissions for [${action}] and ${userString(user)}`;
  return {
    error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
    status: 403,
  };
}

function tenants(user: FgacUser): Record<string, boolean> {
  // Every user has a private tenant; all_access adds write access to the global tenant.
  const out: Record<string, boolean> = {};
  if (user.roles.includes('all_access')) out.global_tenant = true;
  else if (user.roles.length > 0) out.global_tenant = false;
  out[user.name] = true;
  return out;
}

/** GET _plugins/_security/api/account */
export function accountBody(user: FgacUser): object {
  return {
    user_name: user.name,
    is_reserved: false,
    is_hidden: false,
    is_internal_user: false,
    user_requested_tenant: null,
    backend_roles: user.backendRoles,
    custom_attribute_names: [],
    tenants: tenants(user),
    roles: user.roles,
  };
}

/** GET _plugins/_security/authinfo */
export function authinfoBody(user: FgacUser, remoteAddress: string): object {
  return {
    user: userString(user),
    user_name: user.name,
    user_requested_tenant: null,
    remote_address: remoteAddress,
    backend_roles: user.backendRoles,
    custom_attribute_names: [],
    roles: user.roles,
    tenants: tenants(user),
    principal: null,
    peer_certificates: '0',
    sso_logout_url: null,
  };
}
