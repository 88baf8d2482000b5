// The emulator's etcd: typed-enough objects per resource with uid, resourceVersion and change
// notifications that drive both watches and the controllers (Job controller, scheduler, kubelet).
import { randomUUID } from 'node:crypto';
import { alreadyExists, notFound } from './kube-api-status.js';

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
}

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are open-ended JSON.
export type KubeObject = { apiVersion?: string; kind?: string; metadata: ObjectMeta; [field: string]: any };

export type Resource =
  | 'namespaces'
  | 'serviceaccounts'
  | 'jobs'
  | 'pods'
  | 'configmaps'
  | 'events'
  | 'nodes'
  | 'mutatingwebhookconfigurations'
  | 'secrets'
  | 'configmaps'
  | 'deployments'
  | 'statefulsets';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Listener = (type: ChangeType, resource: Resource, obj: KubeObject) => void;

const TYPE: Record<Resource, { apiVersion: string; kind: string }> = {
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  events: { apiVersion: 'v1', kind: 'Event' },
  nodes: { apiVersion: 'v1', kind: 'Node' },
  mutatingwebhookconfigurations: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
  },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
};

export function typeOf(resource: Resource): { apiVersion: string; kind: string } {
  return TYPE[resource];
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export class Store {
  private rv = 1000;
  private readonly data = new Map<Resource, Map<string, KubeObject>>();
  private readonly listeners = new Set<Listener>();

  get resourceVersion(): string {
    return String(this.rv);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  list(resource: Resource, namespace?: string): KubeObject[] {
    const all = [...(this.data.get(resource)?.values() ?? [])];
    return all
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .map((o) => structuredClone(o));
  }

  find(resource: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.data.get(resource)?.get(key(namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  get(resource: Resource, namespace: string | undefined, name: string): KubeObject {
    const o = this.find(resource, namespace, name);
    if (!o) throw notFound(resource, name);
    return o;
  }

  create(resource: Resource, obj: KubeObject): KubeObject {
    const bucket = this.bucket(resource);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    if (bucket.has(k)) throw alreadyExists(resource, obj.metadata.name);
    const stored: KubeObject = {
      ...TYPE[resource],
      ...structuredClone(obj),
      metadata: {
        ...structuredClone(obj.metadata),
        uid: randomUUID(),
        resourceVersion: String(++this.rv),
        creationTimestamp: new Date().toISOString(),
      },
    };
    bucket.set(k, stored);
    this.emit('ADDED', resource, stored);
    return structuredClone(stored);
  }

  /** Applies `change` to the stored object (read-modify-write, no conflicts in one process). */
  update(
    resource: Resource,
    namespace: string | undefined,
    name: string,
    change: (o: KubeObject) => void,
  ): KubeObject | undefined {
    const o = this.data.get(resource)?.get(key(namespace, name));
    if (!o) return undefined;
    change(o);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit('MODIFIED', resource, o);
    return structuredClone(o);
  }

  delete(resource: Resource, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(resource);
    const k = key(namespace, name);
    const o = bucket.get(k);
    if (!o) throw notFound(resource, name);
    bucket.delete(k);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit('DELETED', resource, o);
    return structuredClone(o);
  }

  private bucket(resource: Resource): Map<string, KubeObject> {
    let b = this.data.get(resource);
    if (!b) {
      b = new Map();
      this.data.set(resource, b);
    }
    return b;
  }

  private emit(type: ChangeType, resource: Resource, obj: KubeObject): void {
    for (const l of [...this.listeners]) l(type, resource, structuredClone(obj));
  }
}

/** Label selectors as kubectl writes them: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-joined. */
export function matchesLabels(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const m = /^(.+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (!m) return term.startsWith('!') ? !(term.slice(1) in l) : term in l;
      const [, k, op, v] = m;
      return op === '!=' ? l[k!] !== v : l[k!] === v;
    });
}

/** Field selectors: dotted paths compared as strings (`involvedObject.name=x`, `metadata.name!=y`). */
export function matchesFields(obj: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const m = /^(.+?)(==|!=|=)(.*)$/.exec(term);
      if (!m) return false;
      const [, path, op, v] = m;
      // biome-ignore lint/suspicious/noExplicitAny: walking open JSON.
      const actual = path!.split('.').reduce<any>((o, p) => (o == null ? undefined : o[p]), obj);
      const s = actual == null ? '' : String(actual);
      return op === '!=' ? s !== v : s === v;
    });
}
