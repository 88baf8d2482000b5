import {
  AdmissionregistrationV1Api,
  ApiException,
  BatchV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1Job,
  type V1Pod,
  type V1ServiceAccount,
  Watch,
} from '@kubernetes/client-node';
import type { JobManifest } from './job.js';

/** An API error reduced to what diagnosis needs: the HTTP status and the server's Status reason/message. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

/** Turns an ApiException (raw Status JSON body) or a network error into a KubeError. */
export function toKubeError(e: unknown): KubeError {
  if (e instanceof KubeError) return e;
  if (e instanceof ApiException) {
    const code = e.code as number;
    let status: { reason?: string; message?: string } = {};
    if (typeof e.body === 'string') {
      try {
        status = JSON.parse(e.body) as typeof status;
      } catch {
        status = { message: e.body.slice(0, 300) };
      }
    } else if (e.body && typeof e.body === 'object') status = e.body as typeof status;
    const message =
      status.message ?? (code === 401 ? 'Unauthorized: the credentials were refused' : `HTTP ${code}`);
    return new KubeError(code, status.reason ?? (code === 401 ? 'Unauthorized' : undefined), message);
  }
  const err = e as {
    message?: string;
    code?: string;
    statusCode?: number;
    cause?: { code?: string; message?: string };
  };
  if (typeof err.statusCode === 'number')
    return new KubeError(err.statusCode, undefined, err.message ?? `HTTP ${err.statusCode}`);
  const detail = err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(e);
  return new KubeError(undefined, undefined, `cannot reach the Kubernetes API (${detail})`);
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

/** The API calls the launcher makes, and nothing more (see k8s/rbac.yaml). */
export class Kube {
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;
  private readonly admission: AdmissionregistrationV1Api;
  private readonly watcher: Watch;

  constructor(readonly config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.batch = config.makeApiClient(BatchV1Api);
    this.admission = config.makeApiClient(AdmissionregistrationV1Api);
    this.watcher = new Watch(config);
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

  /**
   * Streams changes of a collection; `done` fires once when the stream ends for any reason.
   * Returns a function that stops the watch.
   */
  async watch<T>(
    path: string,
    query: Record<string, string>,
    onEvent: (e: WatchEvent<T>) => void,
    done: (err?: KubeError) => void,
  ): Promise<() => void> {
    const controller = await this.watcher.watch(
      path,
      query,
      (type, object) => onEvent({ type: type as WatchEvent<T>['type'], object: object as T }),
      (err: unknown) => done(err ? toKubeError(err) : undefined),
    );
    return () => controller.abort();
  }
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toKubeError(e);
  }
}
