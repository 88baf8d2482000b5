import {
  AdmissionregistrationV1Api,
  BatchV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1Job,
  type V1Pod,
  type V1ServiceAccount,
} from '@kubernetes/client-node';
import type { JobManifest } from './job.js';
import { type KubeError, toKubeError } from './kube-error.js';
import { openWatch, type WatchEvent } from './watch-stream.js';

/** The API calls the launcher makes, and nothing more (see k8s/rbac.yaml). */
export class Kube {
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;
  private readonly admission: AdmissionregistrationV1Api;

  constructor(readonly config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.batch = config.makeApiClient(BatchV1Api);
    this.admission = config.makeApiClient(AdmissionregistrationV1Api);
  }

  readNamespace(name: string) {
    return call(() => this.core.readNamespace({ name }));
  }
  readServiceAccount(namespace: string, name: string): Promise<V1ServiceAccount> {
    return call(() => this.core.readNamespacedServiceAccount({ namespace, name }));
  }
  async listServiceAccounts(namespace: string | undefined): Promise<V1ServiceAccount[]> {
    const list = await call(() =>
      namespace === undefined
        ? this.core.listServiceAccountForAllNamespaces()
        : this.core.listNamespacedServiceAccount({ namespace }),
    );
    return list.items;
  }
  readWebhookConfiguration(name: string) {
    return call(() => this.admission.readMutatingWebhookConfiguration({ name }));
  }
  createJob(job: JobManifest): Promise<V1Job> {
    return call(() =>
      this.batch.createNamespacedJob({ namespace: job.metadata.namespace, body: job as unknown as V1Job }),
    );
  }
  readJob(namespace: string, name: string): Promise<V1Job> {
    return call(() => this.batch.readNamespacedJob({ namespace, name }));
  }
  /** Background propagation: the Job goes now, the garbage collector removes its pod. */
  async deleteJob(namespace: string, name: string): Promise<void> {
    await call(() => this.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' }));
  }
  async listJobPods(namespace: string, job: string): Promise<V1Pod[]> {
    return (await call(() => this.core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })))
      .items;
  }
  async listEvents(namespace: string, objectName: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.name=${objectName}`;
    return (await call(() => this.core.listNamespacedEvent({ namespace, fieldSelector }))).items;
  }
  readPodLog(namespace: string, name: string, container: string): Promise<string> {
    return call(() => this.core.readNamespacedPodLog({ namespace, name, container }));
  }

  /** Streams changes of a collection; `done` fires once when the stream ends. Returns a stop function. */
  watch<T>(
    path: string,
    query: Record<string, string>,
    onEvent: (e: WatchEvent<T>) => void,
    done: (err?: KubeError) => void,
  ): Promise<() => void> {
    return openWatch(this.config, path, query, onEvent, done);
  }
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toKubeError(e);
  }
}
