// What the API server does to a Job and to the pod its controller creates: validation (422), the
// ServiceAccount admission plugin, amazon-eks-pod-identity-webhook's mutation, and Pod Security
// admission's "restricted" profile, with the texts each really produces.

import type { StatusCause } from './kube-api-status.js';
import type { KubeObject } from './kube-api-store.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The subset of batch/v1 Job validation a one-shot Job can trip. */
export function validateJob(job: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const add = (reason: string, field: string, message: string) => causes.push({ reason, field, message });
  const name = job.metadata?.name ?? '';
  if (!name) add('FieldValueRequired', 'metadata.name', 'Required value: name or generateName is required');
  else if (name.length > 63)
    add('FieldValueInvalid', 'metadata.name', `Invalid value: "${name}": must be no more than 63 characters`);
  else if (!DNS1123_LABEL.test(name))
    add(
      'FieldValueInvalid',
      'metadata.name',
      `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  const spec = job.spec ?? {};
  for (const f of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
    const v = spec[f];
    if (v === undefined) continue;
    const min = f === 'activeDeadlineSeconds' ? 1 : 0;
    if (!Number.isInteger(v) || v < min) {
      add(
        'FieldValueInvalid',
        `spec.${f}`,
        `Invalid value: ${JSON.stringify(v)}: must be greater than${min ? '' : ' or equal to'} 0`,
      );
    }
  }
  const pod = spec.template?.spec;
  if (!pod) {
    add('FieldValueRequired', 'spec.template.spec.containers', 'Required value');
    return causes;
  }
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') {
    add(
      pod.restartPolicy === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
      'spec.template.spec.restartPolicy',
      pod.restartPolicy === undefined
        ? 'Required value: valid values: "OnFailure", "Never"'
        : `Unsupported value: "${pod.restartPolicy}": supported values: "OnFailure", "Never"`,
    );
  }
  const containers: KubeObject[] = pod.containers ?? [];
  if (containers.length === 0) add('FieldValueRequired', 'spec.template.spec.containers', 'Required value');
  containers.forEach((c, i) => {
    if (!c.name) add('FieldValueRequired', `spec.template.spec.containers[${i}].name`, 'Required value');
    if (!c.image) add('FieldValueRequired', `spec.template.spec.containers[${i}].image`, 'Required value');
  });
  if (pod.serviceAccountName !== undefined && !DNS1123_SUBDOMAIN.test(pod.serviceAccountName)) {
    add(
      'FieldValueInvalid',
      'spec.template.spec.serviceAccountName',
      `Invalid value: "${pod.serviceAccountName}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    );
  }
  return causes;
}

export interface WebhookSettings {
  region: string;
  /** what `eks.amazonaws.com/token-expiration` defaults to */
  defaultExpirationSeconds?: number;
}

const ROLE_ARN = 'eks.amazonaws.com/role-arn';
const TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';

/**
 * amazon-eks-pod-identity-webhook's mutation (REFERENCE section 1): only for an annotated
 * ServiceAccount, never for a skipped pod, and per container only where AWS_ROLE_ARN /
 * AWS_WEB_IDENTITY_TOKEN_FILE are not already set. Returns whether it changed the pod.
 */
export function mutateForIrsa(
  pod: KubeObject,
  sa: KubeObject | undefined,
  settings: WebhookSettings,
): boolean {
  const roleArn = sa?.metadata.annotations?.[ROLE_ARN];
  if (roleArn === undefined) return false;
  if (pod.metadata.labels?.['eks.amazonaws.com/skip-pod-identity-webhook'] !== undefined) return false;
  const annotations = sa?.metadata.annotations ?? {};
  const audience = annotations['eks.amazonaws.com/audience'] ?? 'sts.amazonaws.com';
  const requested = Number(
    pod.metadata.annotations?.['eks.amazonaws.com/token-expiration'] ??
      annotations['eks.amazonaws.com/token-expiration'] ??
      settings.defaultExpirationSeconds ??
      86400,
  );
  const expirationSeconds = Math.max(600, Number.isFinite(requested) ? requested : 86400);
  const regional = annotations['eks.amazonaws.com/sts-regional-endpoints'] ?? 'true';
  const skip = new Set(
    (pod.metadata.annotations?.['eks.amazonaws.com/skip-containers'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  let changed = false;
  for (const c of pod.spec.containers as KubeObject[]) {
    if (skip.has(c.name)) continue;
    const env: Array<{ name: string; value?: string }> = c.env ?? [];
    const has = (n: string) => env.some((e) => e.name === n);
    if (has('AWS_ROLE_ARN') || has('AWS_WEB_IDENTITY_TOKEN_FILE')) continue;
    if (regional === 'true') env.push({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
    if (!has('AWS_REGION') && !has('AWS_DEFAULT_REGION')) {
      env.push(
        { name: 'AWS_DEFAULT_REGION', value: settings.region },
        { name: 'AWS_REGION', value: settings.region },
      );
    }
    env.push(
      { name: 'AWS_ROLE_ARN', value: roleArn },
      { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: `${TOKEN_DIR}/token` },
    );
    c.env = env;
    c.volumeMounts = [
      ...(c.volumeMounts ?? []),
      { name: 'aws-iam-token', readOnly: true, mountPath: TOKEN_DIR },
    ];
    changed = true;
  }
  if (changed) {
    pod.spec.volumes = [
      ...(pod.spec.volumes ?? []),
      {
        name: 'aws-iam-token',
        projected: {
          defaultMode: 420,
          sources: [{ serviceAccountToken: { audience, expirationSeconds, path: 'token' } }],
        },
      },
    ];
  }
  return changed;
}

const ALLOWED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/**
 * Pod Security Standards "restricted" (and the baseline checks it includes that a Job can hit),
 * worded like pod-security-admission: `allowPrivilegeEscalation != false (container "x" must set ...)`.
 * An empty list means the pod is allowed.
 */
// biome-ignore lint/suspicious/noExplicitAny: a pod spec as plain manifest JSON.
export function restrictedViolations(podSpec: Record<string, any>): string[] {
  const out: string[] = [];
  const containers: KubeObject[] = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
  const psc = podSpec.securityContext ?? {};
  const names = (cs: KubeObject[]) =>
    cs.length === 1 ? `container "${cs[0]!.name}"` : `containers ${cs.map((c) => `"${c.name}"`).join(', ')}`;
  const which = (pred: (c: KubeObject) => boolean) => containers.filter(pred);

  if (podSpec.hostNetwork || podSpec.hostPID || podSpec.hostIPC) {
    const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => podSpec[k]).map((k) => `${k}=true`);
    out.push(`host namespaces (${set.join(', ')})`);
  }
  const privileged = which((c) => c.securityContext?.privileged === true);
  if (privileged.length)
    out.push(`privileged (${names(privileged)} must not set securityContext.privileged=true)`);
  const badVolumes = (podSpec.volumes ?? []).filter((v: KubeObject) => !ALLOWED_VOLUMES.some((t) => t in v));
  for (const v of badVolumes) {
    const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    out.push(`restricted volume types (volume "${v.name}" uses restricted volume type "${type}")`);
  }
  const escalation = which((c) => c.securityContext?.allowPrivilegeEscalation !== false);
  if (escalation.length) {
    out.push(
      `allowPrivilegeEscalation != false (${names(escalation)} must set securityContext.allowPrivilegeEscalation=false)`,
    );
  }
  const noDrop = which((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  if (noDrop.length)
    out.push(
      `unrestricted capabilities (${names(noDrop)} must set securityContext.capabilities.drop=["ALL"])`,
    );
  for (const c of containers) {
    const added = (c.securityContext?.capabilities?.add ?? []).filter(
      (a: string) => a !== 'NET_BIND_SERVICE',
    );
    if (added.length) {
      out.push(
        `unrestricted capabilities (container "${c.name}" must not include ${added.map((a: string) => `"${a}"`).join(', ')} in securityContext.capabilities.add)`,
      );
    }
  }
  const nonRoot = which((c) => (c.securityContext?.runAsNonRoot ?? psc.runAsNonRoot) !== true);
  if (psc.runAsNonRoot === false || nonRoot.length) {
    const who = psc.runAsNonRoot === false ? 'pod' : `pod or ${names(nonRoot)}`;
    out.push(
      `runAsNonRoot != true (${who} must ${psc.runAsNonRoot === false ? 'not set securityContext.runAsNonRoot=false' : 'set securityContext.runAsNonRoot=true'})`,
    );
  }
  if (psc.runAsUser === 0) out.push('runAsUser=0 (pod must not set runAsUser=0)');
  const rootUser = which((c) => c.securityContext?.runAsUser === 0);
  if (rootUser.length) out.push(`runAsUser=0 (${names(rootUser)} must not set runAsUser=0)`);
  const okSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const podSeccomp = psc.seccompProfile?.type;
  const noSeccomp = which((c) => !okSeccomp(c.securityContext?.seccompProfile?.type ?? podSeccomp));
  if (noSeccomp.length) {
    out.push(
      `seccompProfile (pod or ${names(noSeccomp)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
    );
  }
  return out;
}
