// The API server's error bodies: a metav1.Status with the message texts apiserver really builds
// (k8s.io/apimachinery/pkg/api/errors and the RBAC authorizer's "cannot VERB resource" wording).

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[] };
  code: number;
}

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
}

/** The API group of each resource the emulator serves. */
export const GROUP: Record<string, string> = {
  namespaces: '',
  serviceaccounts: '',
  'serviceaccounts/token': '',
  pods: '',
  'pods/log': '',
  configmaps: '',
  events: '',
  nodes: '',
  jobs: 'batch',
  secrets: '',
  deployments: 'apps',
  statefulsets: 'apps',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io',
};

/** "jobs.batch", "pods": how apiserver names a resource in messages. */
export function qualified(resource: string): string {
  const base = resource.split('/')[0]!;
  const group = GROUP[resource] ?? GROUP[base] ?? '';
  return group ? `${base}.${group}` : base;
}

function failure(code: number, reason: string, message: string, details?: StatusBody['details']): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

export function forbidden(p: {
  user: string;
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}): ApiError {
  const base = p.resource.split('/')[0]!;
  const group = GROUP[p.resource] ?? GROUP[base] ?? '';
  const scope = p.namespace ? `in the namespace "${p.namespace}"` : 'at the cluster scope';
  const why = `User "${p.user}" cannot ${p.verb} resource "${p.resource}" in API group "${group}" ${scope}`;
  const what = p.name ? `${qualified(p.resource)} "${p.name}"` : qualified(p.resource);
  return failure(403, 'Forbidden', `${what} is forbidden: ${why}`, {
    ...(p.name ? { name: p.name } : {}),
    group,
    kind: base,
  });
}

export function notFound(resource: string, name: string): ApiError {
  const base = resource.split('/')[0]!;
  return failure(404, 'NotFound', `${qualified(resource)} "${name}" not found`, {
    name,
    group: GROUP[base] ?? '',
    kind: base,
  });
}

export function noSuchPath(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(resource: string, name: string): ApiError {
  const base = resource.split('/')[0]!;
  return failure(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, {
    name,
    group: GROUP[base] ?? '',
    kind: base,
  });
}

/** 422 as apiserver words it: one cause inline, several in brackets. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const gk = group ? `${kind}.${group}` : kind;
  return failure(422, 'Invalid', `${gk} "${name}" is invalid: ${joined}`, { name, group, kind, causes });
}

/**
 * A validating webhook's denial as apiserver turns it into a Status (webhookerrors.ToStatusErr):
 * its name in front of the webhook's message, the webhook's code raised to at least 400, no reason.
 */
export function webhookDenied(webhook: string, message: string, code = 403): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `admission webhook "${webhook}" denied the request: ${message}`,
    code: Math.max(400, code),
  });
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function success(resource: string, name: string, uid?: string): StatusBody {
  const base = resource.split('/')[0]!;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: GROUP[base] ?? '', kind: base, ...(uid ? { uid } : {}) },
    code: 200,
  };
}
