// Pod creation as the API server does it for a controller: name generation, the ServiceAccount
// admission plugin, the pod identity webhook (when up), Pod Security admission; plus events.
import { randomBytes } from 'node:crypto';
import { mutateForIrsa, restrictedViolations } from './kube-api-admission.js';
import { ApiError } from './kube-api-status.js';
import type { KubeObject, Store } from './kube-api-store.js';
import { injectMeshSidecar, type MeshKind } from './kube-mesh.js';

export type WebhookMode = 'on' | 'down' | 'missing';

export interface ClusterSettings {
  region: string;
  /**
   * 'on': configuration present and the webhook mutates; 'down': configuration present but the
   * webhook does not answer (failurePolicy Ignore, so pods start unmutated); 'missing': no configuration.
   */
  webhook: WebhookMode;
  /** A validating admission webhook on Job creation (a policy engine such as Kyverno or Gatekeeper). */
  jobWebhook?: JobWebhook;
  /** A service mesh whose injector adds its proxy to pods of namespaces that opt in. */
  mesh?: MeshKind;
}

export interface JobWebhook {
  /** the webhook's name in its ValidatingWebhookConfiguration, e.g. validate.kyverno.svc-fail */
  name: string;
  /** the code the webhook sets in its AdmissionResponse status (apiserver raises anything below 400 to 400) */
  code?: number;
  /** the webhook's denial message for this Job, or undefined to allow it */
  deny(job: KubeObject): string | undefined;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generatedSuffix(): string {
  return [...randomBytes(5)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

function forbiddenPod(name: string, why: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods "${name}" is forbidden: ${why}`,
    reason: 'Forbidden',
    details: { name, kind: 'pods' },
    code: 403,
  });
}

/**
 * Admission order as in kube-apiserver: mutating plugins (ServiceAccount, then the webhooks: pod
 * identity, a mesh's sidecar injector) see
 * the pod before its generated name exists, so their errors name the generateName prefix; the
 * name is generated before validating admission (Pod Security), whose errors name the pod.
 */
export function createPod(store: Store, settings: ClusterSettings, pod: KubeObject): KubeObject {
  const ns = pod.metadata.namespace!;
  const shown = pod.metadata.name || pod.metadata.generateName || '';
  const saName = pod.spec.serviceAccountName ?? 'default';
  pod.spec.serviceAccountName = saName;
  const sa = store.find('serviceaccounts', ns, saName);
  if (!sa) {
    throw forbiddenPod(
      shown,
      `error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`,
    );
  }
  if (settings.webhook === 'on') mutateForIrsa(pod, sa, { region: settings.region });
  const namespace = store.find('namespaces', undefined, ns);
  if (settings.mesh) injectMeshSidecar(settings.mesh, pod, namespace);
  if (!pod.metadata.name) pod.metadata.name = `${shown}${generatedSuffix()}`;
  const level = namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
  if (level === 'restricted') {
    const v = restrictedViolations(pod.spec);
    if (v.length > 0)
      throw forbiddenPod(pod.metadata.name, `violates PodSecurity "restricted:latest": ${v.join(', ')}`);
  }
  return store.create('pods', pod);
}

/** A core/v1 Event the way controllers record them (reason, message, source, counts, timestamps). */
export function recordEvent(
  store: Store,
  about: KubeObject,
  e: { reason: string; message: string; type?: 'Normal' | 'Warning'; component: string; host?: string },
): void {
  const now = new Date().toISOString();
  store.create('events', {
    metadata: {
      name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`,
      namespace: about.metadata.namespace,
    },
    involvedObject: {
      kind: about.kind,
      namespace: about.metadata.namespace,
      name: about.metadata.name,
      uid: about.metadata.uid,
      apiVersion: about.apiVersion,
      resourceVersion: about.metadata.resourceVersion,
    },
    reason: e.reason,
    message: e.message,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type: e.type ?? 'Normal',
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  });
}
