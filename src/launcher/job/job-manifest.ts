import { TOOL_VERSION } from '../../version.js';
import { defaultPullPolicy, type PullPolicy } from './image-pull-policy.js';

/** Labels on the Job and its pod: how `--keep` users, cleanup and RBAC audits find them. */
export const JOB_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'irsa-doctor',
  'app.kubernetes.io/managed-by': 'irsa-doctor',
};
/** The image version, on the Job and its pod beside JOB_LABELS. */
export const VERSION_LABEL = 'app.kubernetes.io/version';
export const CONTAINER_NAME = 'agent';
/** UID/GID of the published image's non-root user (distroless "nonroot"). */
export const RUN_AS_ID = 65532;
export const TTL_SECONDS_AFTER_FINISHED = 300;
const PREFIX = 'irsa-doctor-';
const MAX_NAME = 63;

/** A pod toleration, as batch/v1 takes it. */
export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface JobSpecInput {
  namespace: string;
  serviceAccount: string;
  image: string;
  timeoutSeconds: number;
  /** Random [a-z0-9]{5}, chosen by the caller so this function stays pure. */
  suffix: string;
  agentArgs: readonly string[];
  nodeSelector?: Readonly<Record<string, string>>;
  tolerations?: readonly Toleration[];
  /** A workload's own node affinity (run --workload, camunda), passed on as the API server gave it. */
  nodeAffinity?: Readonly<Record<string, unknown>>;
  imagePullSecrets?: readonly string[];
  /** undefined: what Kubernetes would default to for this image (defaultPullPolicy). */
  imagePullPolicy?: PullPolicy;
  /** --pod-label: on the pod and on the Job (policy engines may look at either). */
  podLabels?: Readonly<Record<string, string>>;
  /** --pod-annotation: on the pod only (mesh opt-out, webhook settings act on pods). */
  podAnnotations?: Readonly<Record<string, string>>;
  priorityClassName?: string;
  /** A CA bundle for the agent's --postgres-ca, mounted from this ConfigMap key. */
  postgresCa?: PostgresCaMount;
}

/** Where the agent finds the CA bundle the launcher hands it (run --postgres-ca / --postgres-ca-configmap). */
export interface PostgresCaMount {
  /** An existing ConfigMap; undefined: the one the launcher creates beside the Job, named like it. */
  configMap?: string;
  key: string;
}

/** The directory the ConfigMap is mounted at, and the file the agent's --postgres-ca names. */
export const POSTGRES_CA_DIR = '/etc/irsa-doctor/postgres-ca';
export const POSTGRES_CA_FILE = 'ca.crt';
const POSTGRES_CA_VOLUME = 'postgres-ca';

/** A Kubernetes Job as plain JSON; the shape matches batch/v1 (see k8s/job-example.yaml). */
export type JobManifest = {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
};
type PodSpec = Record<string, unknown> & {
  containers: Array<
    Record<string, unknown> & { args: string[]; volumeMounts: Array<Record<string, unknown>> }
  >;
  volumes: Array<Record<string, unknown>>;
};

/**
 * `irsa-doctor-<sa>-<suffix>`, a DNS-1123 label of at most 63 characters: the Job controller copies
 * the name into the pod's `job-name` label, whose values stop at 63.
 */
export function jobName(serviceAccount: string, suffix: string): string {
  const room = MAX_NAME - PREFIX.length - 1 - suffix.length;
  const sa = serviceAccount
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return `${PREFIX}${sa ? `${sa}-` : ''}${suffix}`;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Five characters from the alphabet Kubernetes uses for generated names (no vowels, no look-alikes). */
export function randomSuffix(random: (n: number) => Uint8Array): string {
  return [...random(5)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/**
 * Leaves the agent a margin under the Job deadline to print its report: 10% of it, at least 2 s,
 * at most 15 s, and never less than 1 s for the agent itself.
 */
export function agentTimeoutSeconds(jobTimeoutSeconds: number): number {
  const margin = Math.min(15, Math.max(2, Math.ceil(jobTimeoutSeconds / 10)));
  return Math.max(1, jobTimeoutSeconds - margin);
}

/**
 * The container args: the agent's JSON report, the mounted CA bundle when there is one, plus the
 * user's agent flags after `--`.
 */
export function agentArgs(
  input: Pick<JobSpecInput, 'timeoutSeconds' | 'agentArgs' | 'postgresCa'>,
): string[] {
  const userTimeout = input.agentArgs.some((a) => a === '--timeout' || a.startsWith('--timeout='));
  return [
    'check',
    '-o',
    'json',
    ...(userTimeout ? [] : ['--timeout', String(agentTimeoutSeconds(input.timeoutSeconds))]),
    ...(input.postgresCa ? ['--postgres-ca', `${POSTGRES_CA_DIR}/${POSTGRES_CA_FILE}`] : []),
    ...input.agentArgs,
  ];
}

/** Options -> the one-shot Job: restricted Pod Security, small footprint, no retries, self-cleaning. */
export function buildJob(input: JobSpecInput): JobManifest {
  const name = jobName(input.serviceAccount, input.suffix);
  const labels = { ...input.podLabels, ...JOB_LABELS, [VERSION_LABEL]: TOOL_VERSION };
  const podSpec: PodSpec = {
    serviceAccountName: input.serviceAccount,
    restartPolicy: 'Never',
    // The agent never calls the Kubernetes API; the IRSA token is a separate projected volume.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_ID,
      runAsGroup: RUN_AS_ID,
      // Makes the projected aws-iam-token readable by the non-root user.
      fsGroup: RUN_AS_ID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: CONTAINER_NAME,
        image: input.image,
        imagePullPolicy: input.imagePullPolicy ?? defaultPullPolicy(input.image),
        args: agentArgs(input),
        resources: {
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        terminationMessagePolicy: 'FallbackToLogsOnError',
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
  };
  if (input.nodeSelector && Object.keys(input.nodeSelector).length > 0)
    podSpec.nodeSelector = { ...input.nodeSelector };
  if (input.tolerations?.length) podSpec.tolerations = input.tolerations.map((t) => ({ ...t }));
  if (input.nodeAffinity) podSpec.affinity = { nodeAffinity: structuredClone(input.nodeAffinity) };
  if (input.imagePullSecrets?.length)
    podSpec.imagePullSecrets = input.imagePullSecrets.map((name) => ({ name }));
  if (input.priorityClassName) podSpec.priorityClassName = input.priorityClassName;
  if (input.postgresCa) {
    // Only the one key, under a fixed name: the agent's --postgres-ca points at it whatever the key.
    podSpec.volumes.push({
      name: POSTGRES_CA_VOLUME,
      configMap: {
        name: input.postgresCa.configMap ?? name,
        items: [{ key: input.postgresCa.key, path: POSTGRES_CA_FILE }],
      },
    });
    podSpec.containers[0]!.volumeMounts.push({
      name: POSTGRES_CA_VOLUME,
      mountPath: POSTGRES_CA_DIR,
      readOnly: true,
    });
  }
  const annotations = input.podAnnotations ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: input.namespace,
      labels,
      annotations: { 'irsa-doctor/service-account': input.serviceAccount },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: input.timeoutSeconds,
      ttlSecondsAfterFinished: TTL_SECONDS_AFTER_FINISHED,
      template: {
        metadata: { labels, ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}) },
        spec: podSpec,
      },
    },
  };
}
