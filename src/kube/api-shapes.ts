// What an answer of the Kubernetes API must look like before the tool believes it: the kind and
// apiVersion it asked for, the object's name where it asked for one, and the type of every field
// the launcher reads. A proxy's login page, a web server on the wrong port or a `{"kind":"Status"}`
// that says nothing would otherwise be taken for a Namespace, a ServiceAccount without annotation
// or a created Job.

/** Returns what is wrong with an answer, or undefined when it can be believed. */
export type Shape = (value: unknown) => string | undefined;

/** A field's type; object fields are optional unless the Shape checks them itself. */
type Field = 'string' | 'number' | 'boolean' | 'any' | Fields | [Field] | { '*': Field };
interface Fields {
  readonly [key: string]: Field;
}

const STRING_MAP = { '*': 'string' } as const;
const METADATA: Fields = {
  name: 'string',
  uid: 'string',
  namespace: 'string',
  labels: STRING_MAP,
  annotations: STRING_MAP,
  ownerReferences: [{ kind: 'string', name: 'string' }],
  creationTimestamp: 'string',
};
const CONDITION: Fields = { type: 'string', status: 'string', reason: 'string', message: 'string' };
const CONTAINER_STATE: Fields = {
  waiting: { reason: 'string', message: 'string' },
  running: 'any',
  terminated: { exitCode: 'number', reason: 'string', message: 'string' },
};
const POD: Fields = {
  metadata: METADATA,
  spec: {
    nodeName: 'string',
    serviceAccountName: 'string',
    containers: [
      {
        name: 'string',
        image: 'string',
        env: [{ name: 'string', value: 'string' }],
        volumeMounts: [{ name: 'string' }],
      },
    ],
    initContainers: [{ name: 'string', image: 'string' }],
    volumes: [
      {
        name: 'string',
        projected: {
          sources: [{ serviceAccountToken: { audience: 'string', expirationSeconds: 'number' } }],
        },
      },
    ],
  },
  status: {
    phase: 'string',
    conditions: [CONDITION],
    containerStatuses: [{ name: 'string', image: 'string', state: CONTAINER_STATE }],
    // Sidecars (restartPolicy Always) and plain init containers: one of them may hold the pod up.
    initContainerStatuses: [{ name: 'string', image: 'string', state: CONTAINER_STATE }],
  },
};
const EVENT: Fields = {
  metadata: METADATA,
  reason: 'string',
  message: 'string',
  involvedObject: { kind: 'string', name: 'string' },
  lastTimestamp: 'string',
  firstTimestamp: 'string',
  eventTime: 'string',
};

export const namespaceShape = (name: string): Shape =>
  object('Namespace', 'v1', { metadata: METADATA }, name);

export const serviceAccountShape = (name: string): Shape =>
  object('ServiceAccount', 'v1', { metadata: METADATA }, name);

export const serviceAccountListShape: Shape = list('ServiceAccountList', 'v1', { metadata: METADATA });

export const webhookConfigurationShape = (name: string): Shape =>
  object(
    'MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1',
    { metadata: METADATA, webhooks: [{ name: 'string' }] },
    name,
  );

export const jobShape = (name: string): Shape =>
  object(
    'Job',
    'batch/v1',
    { metadata: METADATA, spec: { activeDeadlineSeconds: 'number' }, status: { conditions: [CONDITION] } },
    name,
  );

/** The launcher reads a ConfigMap's keys (is the CA bundle there?); created ones are owned by their Job. */
export const configMapShape = (name: string): Shape =>
  object('ConfigMap', 'v1', { metadata: METADATA, data: STRING_MAP, binaryData: STRING_MAP }, name);

export const podListShape: Shape = list('PodList', 'v1', POD);

export const eventListShape: Shape = list('EventList', 'v1', EVENT);

/**
 * A pod template as Camunda discovery and `run --workload` read it: where the pods run (nodeSelector,
 * tolerations, node affinity), as whom, and what each container is configured with (env, envFrom,
 * mounted ConfigMaps, arguments). Every field read below is typed here, so a hostile answer cannot
 * hand a string where a list is walked.
 */
const KEY_TO_PATH: Fields = { key: 'string', path: 'string' };
const CONTAINER_CONFIG: Fields = {
  name: 'string',
  image: 'string',
  command: ['string'],
  args: ['string'],
  env: [
    {
      name: 'string',
      value: 'string',
      valueFrom: {
        configMapKeyRef: { name: 'string', key: 'string', optional: 'boolean' },
        secretKeyRef: { name: 'string', key: 'string', optional: 'boolean' },
        fieldRef: { fieldPath: 'string' },
        resourceFieldRef: { resource: 'string' },
      },
    },
  ],
  envFrom: [
    {
      prefix: 'string',
      configMapRef: { name: 'string', optional: 'boolean' },
      secretRef: { name: 'string', optional: 'boolean' },
    },
  ],
  volumeMounts: [{ name: 'string', mountPath: 'string', subPath: 'string' }],
};
const POD_TEMPLATE: Fields = {
  metadata: METADATA,
  spec: {
    serviceAccountName: 'string',
    serviceAccount: 'string',
    nodeSelector: STRING_MAP,
    tolerations: [
      {
        key: 'string',
        operator: 'string',
        value: 'string',
        effect: 'string',
        tolerationSeconds: 'number',
      },
    ],
    // Passed on to the Job as the API server gave it (it validates it again on create).
    affinity: { nodeAffinity: 'any', podAffinity: 'any', podAntiAffinity: 'any' },
    imagePullSecrets: [{ name: 'string' }],
    containers: [CONTAINER_CONFIG],
    initContainers: [CONTAINER_CONFIG],
    volumes: [
      {
        name: 'string',
        configMap: { name: 'string', optional: 'boolean', items: [KEY_TO_PATH] },
        projected: {
          sources: [{ configMap: { name: 'string', items: [KEY_TO_PATH] } }],
        },
      },
    ],
  },
};
const WORKLOAD: Fields = { metadata: METADATA, spec: { template: POD_TEMPLATE } };

/** One Deployment, StatefulSet or Job, read for its pod template (`run --workload`). */
export const workloadShape = (kind: 'Deployment' | 'StatefulSet' | 'Job', name: string): Shape =>
  object(kind, kind === 'Job' ? 'batch/v1' : 'apps/v1', WORKLOAD, name);

/** A namespace's Deployments or StatefulSets (Camunda discovery). */
export const workloadListShape = (kind: 'Deployment' | 'StatefulSet'): Shape =>
  list(`${kind}List`, 'apps/v1', WORKLOAD);

/** A Helm release Secret: its type and its `release` key, base64 as the API returns Secret data. */
export const secretShape = (name: string): Shape =>
  object('Secret', 'v1', { metadata: METADATA, type: 'string', data: STRING_MAP }, name);

/**
 * Objects' metadata only (`Accept: ...;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`): the labels
 * of Helm's release Secrets without their data. An API server that ignores the Accept answers the full
 * SecretList, which is believed too (its data is not read), within the same cap.
 */
export const metadataListShape: Shape = (v) => {
  const kind = (v as { kind?: unknown } | null)?.kind;
  return kind === 'SecretList'
    ? list('SecretList', 'v1', { metadata: METADATA })(v)
    : list('PartialObjectMetadataList', 'meta.k8s.io/v1', { metadata: METADATA })(v);
};

/** The audit reads a node's name and its EC2 instance (spec.providerID). */
export const nodeListShape: Shape = list('NodeList', 'v1', {
  metadata: METADATA,
  spec: { providerID: 'string' },
});

/** A TokenRequest answer carries the token; its metadata names the ServiceAccount, or nothing at all. */
export const tokenRequestShape: Shape = (v) =>
  header(v, 'TokenRequest', 'authentication.k8s.io/v1') ??
  conforms(v, { status: { token: 'string', expirationTimestamp: 'string' } }, '');

function object(kind: string, apiVersion: string, fields: Fields, name: string): Shape {
  return (v) =>
    header(v, kind, apiVersion) ??
    ((v as { metadata: { name?: unknown } }).metadata.name !== name
      ? `metadata.name is ${shown((v as { metadata: { name?: unknown } }).metadata.name)}, not "${name}"`
      : undefined) ??
    conforms(v, fields, '');
}

/** A list's items carry no kind of their own; each must have a name, as every stored object has. */
function list(kind: string, apiVersion: string, item: Fields): Shape {
  return (v) => {
    const wrong = header(v, kind, apiVersion);
    if (wrong) return wrong;
    const items = (v as { items?: unknown }).items;
    if (!Array.isArray(items)) return `items is ${shown(items)}, not a list`;
    for (const [i, it] of items.entries()) {
      const meta = isObject(it) ? it.metadata : undefined;
      if (!isObject(meta) || typeof meta.name !== 'string') return `items[${i}] has no metadata.name`;
      const bad = conforms(it, item, `items[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  };
}

function header(v: unknown, kind: string, apiVersion: string): string | undefined {
  if (!isObject(v)) return `the answer is ${shown(v)}, not a JSON object`;
  if (v.kind !== kind) return `kind is ${shown(v.kind)}, not ${kind}`;
  if (v.apiVersion !== apiVersion) return `apiVersion is ${shown(v.apiVersion)}, not ${apiVersion}`;
  if (!isObject(v.metadata)) return `metadata is ${shown(v.metadata)}, not an object`;
  return undefined;
}

/** The first field (by path) whose type is not the one the launcher reads; null counts as absent. */
function conforms(v: unknown, field: Field, path: string): string | undefined {
  if (v === undefined || v === null || field === 'any') return undefined;
  const at = path || 'the answer';
  if (field === 'string' || field === 'number' || field === 'boolean') {
    return typeof v === field ? undefined : `${at} is ${shown(v)}, not a ${field}`;
  }
  if (Array.isArray(field)) {
    if (!Array.isArray(v)) return `${at} is ${shown(v)}, not a list`;
    for (const [i, item] of v.entries()) {
      const bad = conforms(item, field[0], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isObject(v)) return `${at} is ${shown(v)}, not an object`;
  if ('*' in field) {
    for (const [k, item] of Object.entries(v)) {
      const bad = conforms(item, field['*'] as Field, `${path}.${k}`);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [k, sub] of Object.entries(field as Fields)) {
    const bad = conforms(v[k], sub, path ? `${path}.${k}` : k);
    if (bad) return bad;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for a message: its type, and short strings quoted (the answer may be anything). */
function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length <= 40 ? JSON.stringify(v) : 'a long string';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v).slice(0, 20)}`;
}
