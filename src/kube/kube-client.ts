import {
  AdmissionregistrationV1Api,
  BatchV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  type V1Job,
  type V1Node,
  type V1Pod,
  type V1ServiceAccount,
} from '@kubernetes/client-node';
import { DeadlineError, withDeadline } from '../lib/deadline.js';
import { KubeError, toKubeError } from './kube-error.js';
import { openWatch, type WatchEvent } from './watch-stream.js';

/** The longest one API call may take; a healthy API server answers these in milliseconds. */
export const API_CALL_MS = 10_000;

/** What bounds the calls of one view of the API. */
export interface CallLimits {
  /** The run's signal: SIGINT/SIGTERM abort the call in flight at once. */
  signal?: AbortSignal;
  /** Epoch ms after which no call may still be waiting (the run's deadline). */
  endAt?: number;
}

interface Clients {
  core: CoreV1Api;
  batch: BatchV1Api;
  admission: AdmissionregistrationV1Api;
}

/**
 * The Kubernetes API calls the tool makes, and nothing more (the launcher's are listed in
 * k8s/rbac.yaml; a command that needs another call adds it here). Every call waits at most
 * API_CALL_MS, never past `endAt`, and is aborted (the request itself, not only the wait) when the
 * deadline passes or the run's signal fires: an API server that accepts the connection and never
 * completes TLS or never answers must cost one deadline, not undici's 10 s connect or 300 s header
 * timeouts. Failures are thrown as KubeError.
 */
export class KubeClient {
  readonly server: string;
  private readonly clients: Clients;

  constructor(
    readonly config: KubeConfig,
    private readonly limits: CallLimits = {},
    clients?: Clients,
  ) {
    this.server = config.getCurrentCluster()?.server ?? '(no server)';
    this.clients = clients ?? {
      core: config.makeApiClient(CoreV1Api),
      batch: config.makeApiClient(BatchV1Api),
      admission: config.makeApiClient(AdmissionregistrationV1Api),
    };
  }

  /** The same clients under other limits (e.g. cleanup: its own short deadline, deaf to the signal). */
  with(limits: CallLimits): KubeClient {
    return new KubeClient(this.config, limits, this.clients);
  }

  readNamespace(name: string) {
    return this.call((o) => this.clients.core.readNamespace({ name }, o));
  }
  readServiceAccount(namespace: string, name: string): Promise<V1ServiceAccount> {
    return this.call((o) => this.clients.core.readNamespacedServiceAccount({ namespace, name }, o));
  }
  async listServiceAccounts(namespace: string | undefined): Promise<V1ServiceAccount[]> {
    const list = await this.call((o) =>
      namespace === undefined
        ? this.clients.core.listServiceAccountForAllNamespaces({}, o)
        : this.clients.core.listNamespacedServiceAccount({ namespace }, o),
    );
    return list.items;
  }
  /** Every pod of a namespace (the audit filters by ServiceAccount: there is no selector for it). */
  async listPods(namespace: string): Promise<V1Pod[]> {
    const list = await this.call((o) => this.clients.core.listNamespacedPod({ namespace }, o));
    return list.items;
  }
  /** Every node: the audit maps a pod's node to its EC2 instance through spec.providerID. */
  async listNodes(): Promise<V1Node[]> {
    const list = await this.call((o) => this.clients.core.listNode({}, o));
    return list.items;
  }
  /**
   * A short-lived token for a ServiceAccount (TokenRequest), the kind the webhook projects into pods.
   * Only `audit --assume` asks for one; the token is a secret, registered for redaction by the caller.
   */
  async createServiceAccountToken(
    namespace: string,
    name: string,
    audiences: string[],
    expirationSeconds: number,
  ): Promise<string> {
    const answer = await this.call((o) =>
      this.clients.core.createNamespacedServiceAccountToken(
        {
          namespace,
          name,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { audiences, expirationSeconds },
          },
        },
        o,
      ),
    );
    return answer.status?.token ?? '';
  }
  readWebhookConfiguration(name: string) {
    return this.call((o) => this.clients.admission.readMutatingWebhookConfiguration({ name }, o));
  }
  /** Any batch/v1 Job as plain JSON; it is created in the namespace its metadata names. */
  createJob(job: { metadata: { namespace: string } }): Promise<V1Job> {
    return this.call((o) =>
      this.clients.batch.createNamespacedJob(
        { namespace: job.metadata.namespace, body: job as unknown as V1Job },
        o,
      ),
    );
  }
  readJob(namespace: string, name: string): Promise<V1Job> {
    return this.call((o) => this.clients.batch.readNamespacedJob({ namespace, name }, o));
  }
  /** Background propagation: the Job goes now, the garbage collector removes its pod. */
  async deleteJob(namespace: string, name: string): Promise<void> {
    // Only the status matters: API servers answer a Status, the deleted Job, or nothing at all.
    await this.call(
      (o) => this.clients.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' }, o),
      'ignore',
    );
  }
  /**
   * The Job controller labels its pods job-name=JOB and, since Kubernetes 1.27, also
   * batch.kubernetes.io/job-name=JOB; either may be the only one. The pods are filtered here too,
   * since a server that ignores labelSelector lists the whole namespace.
   */
  async listJobPods(namespace: string, job: string): Promise<V1Pod[]> {
    for (const label of JOB_NAME_LABELS) {
      const list = await this.call((o) =>
        this.clients.core.listNamespacedPod({ namespace, labelSelector: `${label}=${job}` }, o),
      );
      const pods = list.items.filter((p) => ownedByJob(p, job));
      if (pods.length > 0) return pods;
    }
    return [];
  }
  /** Events about one object; filtered here too, since a server may ignore the fieldSelector. */
  async listEvents(namespace: string, objectName: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.name=${objectName}`;
    const list = await this.call((o) =>
      this.clients.core.listNamespacedEvent({ namespace, fieldSelector }, o),
    );
    return list.items.filter(
      (e) => e.involvedObject?.name === undefined || e.involvedObject.name === objectName,
    );
  }
  /** The log is text whatever Content-Type the server claims (a JSON-only log would be parsed otherwise). */
  async readPodLog(namespace: string, name: string, container: string): Promise<string> {
    const log: unknown = await this.call(
      (o) => this.clients.core.readNamespacedPodLog({ namespace, name, container }, o),
      'text',
    );
    return typeof log === 'string' ? log : JSON.stringify(log);
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

  /**
   * `body` says how to read a 2xx answer: 'json' (assumed when the server sends no Content-Type,
   * which client-node would refuse to parse), 'text' whatever the Content-Type, or 'ignore'.
   */
  private async call<T>(
    fn: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>,
    body: BodyKind = 'json',
  ): Promise<T> {
    const { signal, endAt } = this.limits;
    const server = this.server;
    if (signal?.aborted) throw interrupted(server);
    const left = endAt === undefined ? API_CALL_MS : endAt - Date.now();
    const ms = Math.min(API_CALL_MS, left);
    if (ms <= 0) {
      throw new KubeError(undefined, undefined, 'the run reached its deadline (--timeout) before this call', {
        noAnswer: 'timeout',
        server,
        timeoutMs: 0,
      });
    }
    const own = new AbortController();
    const abort = signal ? AbortSignal.any([signal, own.signal]) : own.signal;
    const options: ConfigurationOptions<ObservableMiddleware> = {
      middleware: [callMiddleware(abort, body)],
      middlewareMergeStrategy: 'append',
    };
    try {
      // withDeadline settles even if the library ignored the abort; the abort frees the socket.
      return await withDeadline(fn(options), ms, 'Kubernetes API call', signal);
    } catch (e) {
      own.abort();
      if (signal?.aborted) throw interrupted(server);
      if (e instanceof DeadlineError) {
        throw new KubeError(undefined, undefined, `no answer within ${seconds(ms)}`, {
          noAnswer: 'timeout',
          server,
          timeoutMs: ms,
        });
      }
      throw toKubeError(e, server);
    }
  }
}

type BodyKind = 'json' | 'text' | 'ignore';

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;

function ownedByJob(pod: V1Pod, job: string): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (
    JOB_NAME_LABELS.some((l) => labels[l] === job) ||
    (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Job' && r.name === job)
  );
}

function callMiddleware(signal: AbortSignal, body: BodyKind): ObservableMiddleware {
  return {
    pre: (ctx) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res) => {
      if (res.httpStatusCode >= 200 && res.httpStatusCode < 300) {
        if (body === 'text') res.headers['content-type'] = 'text/plain';
        else if (body === 'ignore') {
          res.headers['content-type'] = 'application/json';
          res.body.text = async () => '{}';
        } else res.headers['content-type'] ??= 'application/json';
      }
      return new Observable(Promise.resolve(res));
    },
  };
}

function interrupted(server: string): KubeError {
  return new KubeError(undefined, undefined, 'interrupted (SIGINT/SIGTERM)', {
    noAnswer: 'interrupted',
    server,
  });
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
