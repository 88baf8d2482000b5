import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  type AuthenticationV1TokenRequest,
  BatchV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type CoreV1Event,
  type CoreV1EventList,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  type ResponseContext,
  type V1ConfigMap,
  type V1Deployment,
  type V1DeploymentList,
  type V1Job,
  type V1MutatingWebhookConfiguration,
  type V1Namespace,
  type V1Node,
  type V1NodeList,
  type V1ObjectMeta,
  type V1Pod,
  type V1PodList,
  type V1Secret,
  type V1ServiceAccount,
  type V1ServiceAccountList,
  type V1StatefulSet,
  type V1StatefulSetList,
} from '@kubernetes/client-node';
import { DeadlineError, withDeadline } from '../lib/deadline.js';
import {
  configMapShape,
  eventListShape,
  jobShape,
  metadataListShape,
  namespaceShape,
  nodeListShape,
  podListShape,
  type Shape,
  secretShape,
  serviceAccountListShape,
  serviceAccountShape,
  tokenRequestShape,
  webhookConfigurationShape,
  workloadListShape,
  workloadShape,
} from './api-shapes.js';
import { describeBody, KubeError, mib, toKubeError } from './kube-error.js';
import { readCapped } from './read-capped.js';
import { openWatch, type WatchEvent } from './watch-stream.js';

/** The longest one API call may take; a healthy API server answers these in milliseconds. */
export const API_CALL_MS = 10_000;

/**
 * The most read of one JSON answer. The launcher's answers are single objects and lists narrowed by
 * a selector (a few KiB); even a sweep's ServiceAccount list of a large cluster stays under it.
 */
export const MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/**
 * The most read of the agent's pod log. The report is a few hundred KiB at most; a longer log is
 * something else talking, and what is past the cap is not read.
 */
export const MAX_LOG_BYTES = 8 * 1024 * 1024;

/** An error answer is a Status of a few hundred bytes; a page of HTML needs no more to be named. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

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
  apps: AppsV1Api;
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
      apps: config.makeApiClient(AppsV1Api),
      admission: config.makeApiClient(AdmissionregistrationV1Api),
    };
  }

  /** The same clients under other limits (e.g. cleanup: its own short deadline, deaf to the signal). */
  with(limits: CallLimits): KubeClient {
    return new KubeClient(this.config, limits, this.clients);
  }

  async readNamespace(name: string): Promise<V1Namespace> {
    return this.call(
      (o) => this.clients.core.readNamespace({ name }, o),
      json('Namespace', namespaceShape(name)),
    );
  }
  readServiceAccount(namespace: string, name: string): Promise<V1ServiceAccount> {
    return this.call(
      (o) => this.clients.core.readNamespacedServiceAccount({ namespace, name }, o),
      json('ServiceAccount', serviceAccountShape(name)),
    );
  }
  async listServiceAccounts(namespace: string | undefined): Promise<V1ServiceAccount[]> {
    const list = await this.call<V1ServiceAccountList>(
      (o) =>
        namespace === undefined
          ? this.clients.core.listServiceAccountForAllNamespaces({}, o)
          : this.clients.core.listNamespacedServiceAccount({ namespace }, o),
      json('ServiceAccountList', serviceAccountListShape),
    );
    return list.items;
  }
  /** Every pod of a namespace (the audit filters by ServiceAccount: there is no selector for it). */
  async listPods(namespace: string): Promise<V1Pod[]> {
    const list = await this.call<V1PodList>(
      (o) => this.clients.core.listNamespacedPod({ namespace }, o),
      json('PodList', podListShape),
    );
    return list.items;
  }
  /** Every node: the audit maps a pod's node to its EC2 instance through spec.providerID. */
  async listNodes(): Promise<V1Node[]> {
    const list = await this.call<V1NodeList>(
      (o) => this.clients.core.listNode({}, o),
      json('NodeList', nodeListShape),
    );
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
    const answer = await this.call<AuthenticationV1TokenRequest>(
      (o) =>
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
      json('TokenRequest', tokenRequestShape),
    );
    return answer.status?.token ?? '';
  }
  /**
   * The labels of a namespace's Helm release Secrets (`owner=helm`, and `name=RELEASE` when given),
   * without their data: the API server is asked for metadata only. Which revision is deployed is told
   * by labels alone (as Helm's own Storage.Deployed does), so only that one Secret's data is then read
   * (readHelmReleaseSecret). Listing the Secrets whole would bring every revision's data: ten revisions
   * of a Camunda release are over 10 MiB, past MAX_OBJECT_BYTES, and all but one of them unneeded.
   */
  async listHelmReleaseSecrets(
    namespace: string,
    releaseName?: string,
  ): Promise<Array<{ metadata: V1ObjectMeta }>> {
    const labelSelector = `owner=helm${releaseName !== undefined ? `,name=${releaseName}` : ''}`;
    const list = await this.call<{ items: Array<{ metadata: V1ObjectMeta }> }>(
      (o) => this.clients.core.listNamespacedSecret({ namespace, labelSelector }, o),
      json('list of Secret metadata', metadataListShape, METADATA_ONLY),
    );
    // Filtered here too (a server may ignore the selector); only metadata is kept whatever came.
    return list.items
      .filter((i) => i.metadata.labels?.owner === 'helm')
      .filter((i) => releaseName === undefined || i.metadata.labels?.name === releaseName)
      .map((i) => ({ metadata: i.metadata }));
  }
  /**
   * One Helm release Secret, whole: the only Secret data the tool ever reads. A name that is not a Helm
   * release Secret's is refused before any request, so no caller can read another Secret through it.
   * A Secret holds at most 1 MiB, so MAX_OBJECT_BYTES bounds the answer with room to spare.
   */
  async readHelmReleaseSecret(namespace: string, name: string): Promise<V1Secret> {
    if (!HELM_RELEASE_SECRET.test(name))
      throw new KubeError(undefined, undefined, `${name} is not a Helm release Secret; it is not read`);
    return this.call(
      (o) => this.clients.core.readNamespacedSecret({ namespace, name }, o),
      json('Secret', secretShape(name)),
    );
  }
  /** A namespace's Deployments, for their pod templates (Camunda discovery). */
  async listDeployments(namespace: string): Promise<V1Deployment[]> {
    const list = await this.call<V1DeploymentList>(
      (o) => this.clients.apps.listNamespacedDeployment({ namespace }, o),
      json('DeploymentList', workloadListShape('Deployment')),
    );
    return list.items;
  }
  /** A namespace's StatefulSets, for their pod templates (Camunda discovery). */
  async listStatefulSets(namespace: string): Promise<V1StatefulSet[]> {
    const list = await this.call<V1StatefulSetList>(
      (o) => this.clients.apps.listNamespacedStatefulSet({ namespace }, o),
      json('StatefulSetList', workloadListShape('StatefulSet')),
    );
    return list.items;
  }
  /** One Deployment, StatefulSet or Job, for its pod template (`run --workload`). */
  readWorkload(
    kind: 'Deployment' | 'StatefulSet' | 'Job',
    namespace: string,
    name: string,
  ): Promise<V1Deployment | V1StatefulSet | V1Job> {
    const answer = json(kind, workloadShape(kind, name));
    if (kind === 'Deployment')
      return this.call((o) => this.clients.apps.readNamespacedDeployment({ namespace, name }, o), answer);
    if (kind === 'StatefulSet')
      return this.call((o) => this.clients.apps.readNamespacedStatefulSet({ namespace, name }, o), answer);
    return this.call((o) => this.clients.batch.readNamespacedJob({ namespace, name }, o), answer);
  }
  readWebhookConfiguration(name: string): Promise<V1MutatingWebhookConfiguration> {
    return this.call(
      (o) => this.clients.admission.readMutatingWebhookConfiguration({ name }, o),
      json('MutatingWebhookConfiguration', webhookConfigurationShape(name)),
    );
  }
  /** Any batch/v1 Job as plain JSON; it is created in the namespace its metadata names. */
  createJob(job: { metadata: { namespace: string; name: string } }): Promise<V1Job> {
    return this.call(
      (o) =>
        this.clients.batch.createNamespacedJob(
          { namespace: job.metadata.namespace, body: job as unknown as V1Job },
          o,
        ),
      json('Job', jobShape(job.metadata.name)),
    );
  }
  readJob(namespace: string, name: string): Promise<V1Job> {
    return this.call(
      (o) => this.clients.batch.readNamespacedJob({ namespace, name }, o),
      json('Job', jobShape(name)),
    );
  }
  /** A ConfigMap as plain JSON (run --postgres-ca: the CA bundle beside its Job, owned by it). */
  createConfigMap(configMap: { metadata: { namespace: string; name: string } }): Promise<V1ConfigMap> {
    return this.call(
      (o) =>
        this.clients.core.createNamespacedConfigMap(
          { namespace: configMap.metadata.namespace, body: configMap as unknown as V1ConfigMap },
          o,
        ),
      json('ConfigMap', configMapShape(configMap.metadata.name)),
    );
  }
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap> {
    return this.call(
      (o) => this.clients.core.readNamespacedConfigMap({ namespace, name }, o),
      json('ConfigMap', configMapShape(name)),
    );
  }
  async deleteConfigMap(namespace: string, name: string): Promise<void> {
    await this.call((o) => this.clients.core.deleteNamespacedConfigMap({ namespace, name }, o), {
      kind: 'ignore',
    });
  }
  /** Background propagation: the Job goes now, the garbage collector removes its pod. */
  async deleteJob(namespace: string, name: string): Promise<void> {
    // Only the status matters: API servers answer a Status, the deleted Job, or nothing at all.
    await this.call(
      (o) => this.clients.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' }, o),
      { kind: 'ignore' },
    );
  }
  /**
   * The Job controller labels its pods job-name=JOB and, since Kubernetes 1.27, also
   * batch.kubernetes.io/job-name=JOB; either may be the only one. The pods are filtered here too,
   * since a server that ignores labelSelector lists the whole namespace.
   */
  async listJobPods(namespace: string, job: string): Promise<V1Pod[]> {
    for (const label of JOB_NAME_LABELS) {
      const list = await this.call<V1PodList>(
        (o) => this.clients.core.listNamespacedPod({ namespace, labelSelector: `${label}=${job}` }, o),
        json('PodList', podListShape),
      );
      const pods = list.items.filter((p) => ownedByJob(p, job));
      if (pods.length > 0) return pods;
    }
    return [];
  }
  /** Events about one object; filtered here too, since a server may ignore the fieldSelector. */
  async listEvents(namespace: string, objectName: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.name=${objectName}`;
    const list = await this.call<CoreV1EventList>(
      (o) => this.clients.core.listNamespacedEvent({ namespace, fieldSelector }, o),
      json('EventList', eventListShape),
    );
    return list.items.filter(
      (e) => e.involvedObject?.name === undefined || e.involvedObject.name === objectName,
    );
  }
  /**
   * The container's log, as text whatever Content-Type the server claims, and at most
   * MAX_LOG_BYTES of it (the server is asked for no more with limitBytes, and anything past it
   * is not read): `truncated` says the log went on.
   */
  readPodLog(namespace: string, name: string, container: string): Promise<PodLog> {
    return this.call(
      (o) =>
        this.clients.core.readNamespacedPodLog(
          { namespace, name, container, limitBytes: MAX_LOG_BYTES + 1 },
          o,
        ),
      { kind: 'text', maxBytes: MAX_LOG_BYTES },
    );
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
   * One request under the limits. `answer` says how to read a 2xx answer: JSON that must have the
   * Shape (what it resolves to is the object read here, capped and checked, never client-node's
   * own decoding of it), text, or nothing. Every body is read up to a cap.
   */
  private async call<T>(
    fn: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<unknown>,
    answer: Answer,
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
    const read: { value?: unknown } = {};
    const options: ConfigurationOptions<ObservableMiddleware> = {
      middleware: [callMiddleware(abort, answer, server, read)],
      middlewareMergeStrategy: 'append',
    };
    try {
      // withDeadline settles even if the library ignored the abort; the abort frees the socket.
      await withDeadline(fn(options), ms, 'Kubernetes API call', signal);
      return read.value as T;
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

/** A pod's log as read: at most MAX_LOG_BYTES. */
export interface PodLog {
  text: string;
  /** The log is longer than MAX_LOG_BYTES; only its start was read. */
  truncated: boolean;
}

type Answer =
  | { kind: 'json'; what: string; shape: Shape; accept?: string }
  | { kind: 'text'; maxBytes: number }
  | { kind: 'ignore' };

function json(what: string, shape: Shape, accept?: string): Answer {
  return { kind: 'json', what, shape, ...(accept ? { accept } : {}) };
}

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;

/** Metadata only, else (a server that cannot) the full list: kubectl's own Accept for `get -o name`. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Helm 3's storage driver names each revision's Secret so (helm/helm pkg/storage/driver/secrets.go). */
const HELM_RELEASE_SECRET = /^sh\.helm\.release\.v1\.[^/]+\.v\d+$/;

function ownedByJob(pod: V1Pod, job: string): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (
    JOB_NAME_LABELS.some((l) => labels[l] === job) ||
    (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Job' && r.name === job)
  );
}

function callMiddleware(
  signal: AbortSignal,
  answer: Answer,
  server: string,
  read: { value?: unknown },
): ObservableMiddleware {
  return {
    pre: (ctx) => {
      ctx.setSignal(signal);
      if (answer.kind === 'json' && answer.accept) ctx.setHeaderParam('Accept', answer.accept);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res) => new Observable(readAnswer(res, answer, server, read)),
  };
}

/**
 * Reads the body before client-node does, capped, and for JSON checks it against its Shape: what
 * the caller gets is `read.value`. client-node is then handed a body it decodes harmlessly ('{}'
 * or ''); an error answer keeps its (capped) text for the ApiException.
 */
async function readAnswer(
  res: ResponseContext,
  answer: Answer,
  server: string,
  read: { value?: unknown },
): Promise<ResponseContext> {
  const status = res.httpStatusCode;
  const stream = res.body.stream();
  const replace = (text: string, contentType: string) => {
    res.headers['content-type'] = contentType;
    res.body.text = async () => text;
    res.body.binary = async () => Buffer.from(text);
  };
  if (status < 200 || status > 299) {
    const body = await readCapped(stream, MAX_ERROR_BODY_BYTES);
    replace(body.bytes.toString('utf8'), res.headers['content-type'] ?? '');
    return res;
  }
  if (answer.kind === 'ignore') {
    await stream?.cancel().catch(() => undefined);
    replace('{}', 'application/json');
    return res;
  }
  if (answer.kind === 'text') {
    const body = await readCapped(stream, answer.maxBytes + 1);
    const truncated = body.bytes.length > answer.maxBytes;
    const text = body.bytes.subarray(0, answer.maxBytes).toString('utf8');
    read.value = { text, truncated } satisfies PodLog;
    replace('', 'text/plain');
    return res;
  }
  const body = await readCapped(stream, MAX_OBJECT_BYTES);
  const notKube = (problem: string, extra: { tooLarge?: number } = {}) =>
    new KubeError(
      status,
      undefined,
      `answered HTTP ${status} to a read of a ${answer.what} with ${problem}`,
      {
        server,
        notKubernetes: problem,
        ...extra,
      },
    );
  if (body.truncated) {
    throw notKube(`more than ${mib(MAX_OBJECT_BYTES)}, more than any answer it should give`, {
      tooLarge: MAX_OBJECT_BYTES,
    });
  }
  const text = body.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notKube(describeBody(text, res.headers['content-type']));
  }
  const wrong = answer.shape(value);
  if (wrong) throw notKube(`JSON that is not a Kubernetes ${answer.what}: ${wrong}`);
  read.value = value;
  replace('{}', 'application/json');
  return res;
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
