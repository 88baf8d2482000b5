// URL -> (verb, resource, namespace, name) the way apiserver's RequestInfo resolver does it, and
// the handlers for the resources the launcher and Camunda discovery use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateJob } from './kube-api-admission.js';
import type { ClusterSettings } from './kube-api-pods.js';
import {
  badRequest,
  GROUP,
  invalid,
  noSuchPath,
  notFound,
  success,
  webhookDenied,
} from './kube-api-status.js';
import {
  type KubeObject,
  matchesFields,
  matchesLabels,
  type Resource,
  type Store,
  typeOf,
} from './kube-api-store.js';
import { createToken, type TokenIssuer } from './kube-api-token.js';
import type { Kubelet } from './kubelet.js';

export interface RequestInfo {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

const VERBS: Record<string, string[]> = {
  namespaces: ['get', 'list'],
  serviceaccounts: ['get', 'list', 'watch'],
  'serviceaccounts/token': ['create'],
  jobs: ['create', 'get', 'list', 'watch', 'delete'],
  pods: ['get', 'list', 'watch', 'delete'],
  'pods/log': ['get'],
  configmaps: ['create', 'get', 'list', 'delete'],
  events: ['list', 'watch'],
  nodes: ['get', 'list'],
  mutatingwebhookconfigurations: ['get', 'list'],
  // Read-only: what Camunda discovery reads (Helm release Secrets, workloads and their ConfigMaps).
  secrets: ['get', 'list'],
  deployments: ['get', 'list'],
  statefulsets: ['get', 'list'],
};
const CLUSTER_SCOPED = new Set(['namespaces', 'nodes', 'mutatingwebhookconfigurations']);

export function parseRequest(method: string, url: URL): RequestInfo | undefined {
  const parts = url.pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  // /namespaces/NS/RESOURCE...; but /namespaces and /namespaces/NS are the namespace objects themselves.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [res, name, sub] = rest;
  if (!res || rest.length > 3) return undefined;
  const resource = sub ? `${res}/${sub}` : res;
  if (!(resource in VERBS) || (GROUP[resource] ?? GROUP[res]) !== group) return undefined;
  if (namespace !== undefined && CLUSTER_SCOPED.has(res)) return undefined;
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const verb =
    method === 'POST'
      ? 'create'
      : method === 'DELETE'
        ? 'delete'
        : method === 'GET'
          ? name
            ? 'get'
            : watch
              ? 'watch'
              : 'list'
          : 'unsupported';
  if (!VERBS[resource]!.includes(verb)) return undefined;
  // POST names its object only for a subresource (serviceaccounts/NAME/token).
  if (verb === 'create' && Boolean(name) !== Boolean(sub)) return undefined;
  return { verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}

export interface HandlerContext {
  store: Store;
  settings: ClusterSettings;
  kubelet: Kubelet | undefined;
  info: RequestInfo;
  url: URL;
  body: string;
  req: IncomingMessage;
  res: ServerResponse;
  watches: Set<ServerResponse>;
  /** TokenRequest's minter; without it the route answers 404, as a server without the API would */
  tokenIssuer?: TokenIssuer;
}

export type HandlerResult = 'streamed' | { status: number; body: unknown; propagationPolicy?: string };

export async function handleRequest(c: HandlerContext): Promise<HandlerResult> {
  const { store, info, url } = c;
  const resource = info.resource as Resource;
  const ns = info.namespace;
  const hidden = (r: string) => r === 'mutatingwebhookconfigurations' && c.settings.webhook === 'missing';
  switch (info.verb) {
    case 'get': {
      if (info.resource === 'pods/log') return podLog(c);
      if (hidden(resource)) throw notFound(resource, info.name!);
      return { status: 200, body: store.get(resource, ns, info.name!) };
    }
    case 'list': {
      const items = hidden(resource) ? [] : select(store.list(resource, ns), url);
      // What apiserver does for `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
      // (kubectl get -o name, client-go's metadata informers): each object's metadata, nothing else.
      if (wantsMetadataOnly(c.req.headers.accept))
        return {
          status: 200,
          body: {
            kind: 'PartialObjectMetadataList',
            apiVersion: 'meta.k8s.io/v1',
            metadata: { resourceVersion: store.resourceVersion },
            items: items.map((o) => ({
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: o.metadata,
            })),
          },
        };
      const { kind } = typeOf(resource);
      return {
        status: 200,
        body: {
          kind: `${kind}List`,
          apiVersion: typeOf(resource).apiVersion,
          metadata: { resourceVersion: store.resourceVersion },
          items,
        },
      };
    }
    case 'watch':
      return watch(c, resource);
    case 'create':
      if (info.resource === 'serviceaccounts/token') {
        if (!c.tokenIssuer || !ns) throw noSuchPath();
        return createToken(store, c.tokenIssuer, ns, info.name!, c.body);
      }
      if (info.resource === 'configmaps') return createConfigMap(c);
      return createJob(c);
    case 'delete': {
      const policy = deletePolicy(url, c.body);
      const gone = store.get(resource, ns, info.name!);
      if (resource === 'jobs') c.kubelet?.jobDeleted(gone, policy);
      else if (resource === 'pods') c.kubelet?.deletePod(gone);
      else store.delete(resource, ns, info.name!);
      return {
        status: 200,
        body: success(resource, info.name!, gone.metadata.uid),
        ...(policy ? { propagationPolicy: policy } : {}),
      };
    }
  }
  throw noSuchPath();
}

/** The first media type of an Accept list that asks for metadata only (as apiserver negotiates it). */
function wantsMetadataOnly(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  const params = first.split(';').map((p) => p.trim());
  return (
    params[0] === 'application/json' &&
    params.includes('as=PartialObjectMetadataList') &&
    params.includes('g=meta.k8s.io') &&
    params.includes('v=v1')
  );
}

function select(items: KubeObject[], url: URL): KubeObject[] {
  const labels = url.searchParams.get('labelSelector');
  const fields = url.searchParams.get('fieldSelector');
  return items.filter((o) => matchesLabels(o.metadata.labels, labels) && matchesFields(o, fields));
}

function deletePolicy(url: URL, body: string): string | undefined {
  const q = url.searchParams.get('propagationPolicy');
  if (q) return q;
  if (!body) return undefined;
  try {
    return (JSON.parse(body) as { propagationPolicy?: string }).propagationPolicy;
  } catch {
    throw badRequest('the body of the request was in an unknown format');
  }
}

function createJob(c: HandlerContext): HandlerResult {
  const ns = c.info.namespace;
  if (!ns) throw noSuchPath();
  let job: KubeObject;
  try {
    job = JSON.parse(c.body) as KubeObject;
  } catch {
    throw badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  }
  if (job.metadata?.namespace && job.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!c.store.find('namespaces', undefined, ns)) throw notFound('namespaces', ns);
  const causes = validateJob(job);
  if (causes.length > 0) throw invalid('Job', 'batch', job.metadata?.name ?? '', causes);
  // Validating admission runs after schema validation, before the object is stored.
  const denial = c.settings.jobWebhook?.deny(job);
  if (denial !== undefined)
    throw webhookDenied(c.settings.jobWebhook!.name, denial, c.settings.jobWebhook!.code);
  job.metadata.namespace = ns;
  job.status = {};
  const created = c.store.create('jobs', job);
  // Defaulting that depends on the uid, as the Job strategy does.
  const uid = created.metadata.uid!;
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': created.metadata.name,
    'controller-uid': uid,
    'job-name': created.metadata.name,
  };
  const stored = c.store.update('jobs', ns, created.metadata.name, (o) => {
    o.spec = { completions: 1, parallelism: 1, completionMode: 'NonIndexed', suspend: false, ...o.spec };
    o.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    o.spec.template.metadata = {
      ...o.spec.template.metadata,
      labels: { ...o.spec.template.metadata?.labels, ...labels },
    };
  })!;
  c.kubelet?.jobCreated(stored);
  return { status: 201, body: stored };
}

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** etcd's limit on one object, which apiserver enforces for ConfigMaps as "must have at most 1048576 bytes". */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** core/v1 ConfigMap creation with the validation a launcher-made one can trip. */
function createConfigMap(c: HandlerContext): HandlerResult {
  const ns = c.info.namespace;
  if (!ns) throw noSuchPath();
  let cm: KubeObject;
  try {
    cm = JSON.parse(c.body) as KubeObject;
  } catch {
    throw badRequest('the body of the request was in an unknown format');
  }
  if (cm.metadata?.namespace && cm.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!c.store.find('namespaces', undefined, ns)) throw notFound('namespaces', ns);
  const name = cm.metadata?.name ?? '';
  const causes: Array<{ reason: string; field: string; message: string }> = [];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253)
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${name}"` });
  let size = 0;
  for (const [k, v] of Object.entries({ ...cm.data, ...cm.binaryData })) {
    if (!CONFIG_MAP_KEY.test(k))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `data[${k}]`,
        message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      });
    size += k.length + String(v).length;
  }
  if (size > MAX_CONFIG_MAP_BYTES)
    causes.push({
      reason: 'FieldValueTooLong',
      field: '[]',
      message: `Too long: must have at most ${MAX_CONFIG_MAP_BYTES} bytes`,
    });
  if (causes.length > 0) throw invalid('ConfigMap', '', name, causes);
  for (const owner of cm.metadata.ownerReferences ?? []) {
    if (!owner.uid || !owner.name || !owner.kind || !owner.apiVersion)
      throw invalid('ConfigMap', '', name, [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.ownerReferences',
          message: 'Required value: uid, name, kind and apiVersion',
        },
      ]);
  }
  cm.metadata.namespace = ns;
  return { status: 201, body: c.store.create('configmaps', cm) };
}

function podLog(c: HandlerContext): HandlerResult {
  const pod = c.store.get('pods', c.info.namespace, c.info.name!);
  const container = c.url.searchParams.get('container') ?? pod.spec.containers[0].name;
  if (!pod.spec.containers.some((k: KubeObject) => k.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  const status = (pod.status?.containerStatuses ?? []).find((s: KubeObject) => s.name === container);
  const waiting = status?.state?.waiting;
  if (!status || waiting) {
    const reason = waiting?.reason ?? 'ContainerCreating';
    const msg =
      reason === 'ImagePullBackOff' || reason === 'ErrImagePull'
        ? `container "${container}" in pod "${pod.metadata.name}" is waiting to start: trying and failing to pull image`
        : `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`;
    throw badRequest(msg);
  }
  return { status: 200, body: c.kubelet?.logOf(pod.metadata.uid!, container) ?? '' };
}

/** Streams `{"type":..,"object":..}` lines; without a resourceVersion it first replays what exists. */
function watch(c: HandlerContext, resource: Resource): HandlerResult {
  const { store, url, res, req } = c;
  const ns = c.info.namespace;
  const labels = url.searchParams.get('labelSelector');
  const fields = url.searchParams.get('fieldSelector');
  const since = url.searchParams.get('resourceVersion');
  const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
  const matches = (o: KubeObject) =>
    (ns === undefined || o.metadata.namespace === ns) &&
    matchesLabels(o.metadata.labels, labels) &&
    matchesFields(o, fields);
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  // apiserver sends the headers at once, before any event.
  res.flushHeaders();
  const write = (type: string, o: KubeObject) =>
    res.write(`${JSON.stringify({ type, object: { ...typeOf(resource), ...o } })}\n`);
  if (!since || since === '0') for (const o of store.list(resource, ns)) if (matches(o)) write('ADDED', o);
  const unsubscribe = store.subscribe((type, r, o) => {
    if (r === resource && matches(o) && (!since || Number(o.metadata.resourceVersion) > Number(since)))
      write(type, o);
  });
  c.watches.add(res);
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  const stop = () => {
    unsubscribe();
    clearTimeout(timer);
    c.watches.delete(res);
  };
  req.on('close', stop);
  res.on('close', stop);
  return 'streamed';
}
