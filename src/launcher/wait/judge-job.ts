import type { CoreV1Event, V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { CONTAINER_NAME } from '../job/job-manifest.js';
import { podSecurityFinding, violatesPodSecurity } from '../job/pod-security-finding.js';

/** What the user sees while waiting (progress on a TTY). */
export type WaitPhase = 'creating' | 'scheduling' | 'pulling' | 'running';

export type Observation =
  | { kind: 'waiting'; phase: WaitPhase; pod?: V1Pod }
  | { kind: 'finished'; pod: V1Pod }
  | { kind: 'failed'; finding: Finding; pod?: V1Pod };

export interface JobSnapshot {
  job?: V1Job;
  pods: V1Pod[];
  /** Events whose involvedObject is the Job. */
  jobEvents: CoreV1Event[];
  /** Events whose involvedObject is the newest pod. */
  podEvents: CoreV1Event[];
  /** The last phase seen before, to say where a deadline struck. */
  lastPhase?: WaitPhase;
}

const PULL_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
]);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * One look at the Job, its pod and their events -> keep waiting, read the log, or stop with a
 * finding. Pure, so every failure mode is unit-testable from the objects the API returns.
 */
export function judgeJob(s: JobSnapshot): Observation {
  const job = s.job;
  const name = job?.metadata?.name ?? 'JOB';
  const ns = job?.metadata?.namespace ?? 'NAMESPACE';
  const conditions = job?.status?.conditions ?? [];
  const failed = conditions.find(
    (c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True',
  );
  const pod = newest(s.pods);
  const podName = pod?.metadata?.name;

  if (failed?.reason === 'DeadlineExceeded') {
    const where = s.lastPhase ? ` while the pod was ${describePhase(s.lastPhase)}` : '';
    return {
      kind: 'failed',
      finding: finding(
        'LAUNCH-DEADLINE',
        `Job ${name} hit its activeDeadlineSeconds (${job?.spec?.activeDeadlineSeconds ?? '?'} s)${where}: ${failed.message ?? 'DeadlineExceeded'}.`,
        {
          variant: 'job',
          details: { job: name, reason: 'DeadlineExceeded', ...(s.lastPhase ? { phase: s.lastPhase } : {}) },
        },
      ),
      ...(pod ? { pod } : {}),
    };
  }
  // The agent's exit is the end of the run: a mesh's sidecar (Istio, Linkerd) keeps the pod Running
  // after it, and a native sidecar (an init container with restartPolicy Always) may take its whole
  // grace period to stop. Nothing after the agent's exit changes its log.
  if (
    pod &&
    (agentStatus(pod)?.state?.terminated ||
      pod.status?.phase === 'Succeeded' ||
      pod.status?.phase === 'Failed')
  )
    return { kind: 'finished', pod };

  const stuck = pod ? stuckContainer(pod) : undefined;
  const waiting = stuck?.status.state?.waiting;
  if (pod && stuck && waiting?.reason && PULL_REASONS.has(waiting.reason)) {
    const image = stuck.image;
    const other =
      stuck.status.name !== CONTAINER_NAME ? ` (container ${stuck.status.name}, not the agent)` : '';
    return {
      kind: 'failed',
      pod,
      finding: finding(
        'LAUNCH-IMAGE-PULL',
        `The node could not pull ${image}${other} (${waiting.reason}): ${waiting.message ?? lastMessage(s.podEvents, ['Failed']) ?? 'no message'}`,
        {
          fix: { image },
          details: { pod: podName, container: stuck.status.name, reason: waiting.reason, image },
        },
      ),
    };
  }
  if (pod && stuck && waiting?.reason && CONFIG_REASONS.has(waiting.reason)) {
    const other =
      stuck.status.name !== CONTAINER_NAME
        ? `Container ${stuck.status.name} (not the agent)`
        : 'The container';
    return {
      kind: 'failed',
      pod,
      finding: finding(
        'LAUNCH-CONTAINER-CONFIG',
        `${other} could not start (${waiting.reason}): ${waiting.message ?? 'no message'}`,
        { details: { pod: podName, container: stuck.status.name, reason: waiting.reason } },
      ),
    };
  }
  const scheduled = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (pod && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    // The cluster autoscaler is adding a node: keep waiting, the deadline still bounds it.
    const scaling = latest(
      s.podEvents.filter((e) => e.reason === 'TriggeredScaleUp' || e.reason === 'NotTriggerScaleUp'),
    );
    if (scaling?.reason !== 'TriggeredScaleUp') {
      const why = lastMessage(s.podEvents, ['FailedScheduling']) ?? scheduled.message ?? 'no message';
      return {
        kind: 'failed',
        pod,
        finding: finding('LAUNCH-UNSCHEDULABLE', `The scheduler cannot place pod ${podName}: ${why}`, {
          fix: { namespace: ns },
          details: { pod: podName, reason: 'Unschedulable', message: why },
        }),
      };
    }
  }
  if (!pod) {
    const created = failedCreate(s.jobEvents, ns, name);
    if (created) return { kind: 'failed', finding: created };
    if (failed) {
      return {
        kind: 'failed',
        finding: finding(
          'LAUNCH-NO-REPORT',
          `Job ${name} failed (${failed.reason ?? 'unknown reason'}: ${failed.message ?? ''}) and its pod is gone, so there is no log to read.`,
          { variant: 'failedNoPod', details: { job: name, reason: failed.reason } },
        ),
      };
    }
    return { kind: 'waiting', phase: 'creating' };
  }
  if (!pod.spec?.nodeName && scheduled?.status !== 'True')
    return { kind: 'waiting', phase: 'scheduling', pod };
  if (pod.status?.phase === 'Running') return { kind: 'waiting', phase: 'running', pod };
  return { kind: 'waiting', phase: 'pulling', pod };
}

function agentStatus(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((c) => c.name === CONTAINER_NAME);
}

/**
 * The first container waiting for a reason that ends the run: the agent's own first, then sidecars and
 * init containers the cluster added (a mesh's proxy that cannot be pulled holds the agent up as well).
 */
function stuckContainer(pod: V1Pod): { status: V1ContainerStatus; image: string } | undefined {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const ordered = [
    ...all.filter((c) => c.name === CONTAINER_NAME),
    ...all.filter((c) => c.name !== CONTAINER_NAME),
  ];
  const status = ordered.find((c) => {
    const reason = c.state?.waiting?.reason;
    return reason !== undefined && (PULL_REASONS.has(reason) || CONFIG_REASONS.has(reason));
  });
  if (!status) return undefined;
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (c) => c.name === status.name,
  );
  return { status, image: spec?.image ?? status.image ?? '?' };
}

/** The Job controller reports a pod it could not create only as a FailedCreate event on the Job. */
function failedCreate(events: CoreV1Event[], ns: string, job: string): Finding | undefined {
  const ev = latest(events.filter((e) => e.reason === 'FailedCreate'));
  if (!ev?.message) return undefined;
  const msg = ev.message;
  const lower = msg.toLowerCase();
  if (violatesPodSecurity(msg)) return podSecurityFinding(msg, ns, job, 'pod');
  const sa = /error looking up service account ([^:\s]+)|serviceaccounts? "([^"]+)" not found/i.exec(msg);
  if (sa) {
    return finding('LAUNCH-SA-MISSING', `Kubernetes refused to create the pod: ${msg}`, {
      // "error looking up service account NAMESPACE/NAME" qualifies the name; the fix wants it bare.
      fix: { namespace: ns, serviceAccount: (sa[1] ?? sa[2])?.split('/').pop() },
      details: { job },
    });
  }
  return finding('LAUNCH-POD-CREATE-FAILED', `The Job could not create its pod: ${msg}`, {
    variant: lower.includes('exceeded quota') ? 'quota' : 'other',
    fix: { namespace: ns, job },
    details: { job },
  });
}

function describePhase(p: WaitPhase): string {
  return {
    creating: 'not yet created',
    scheduling: 'waiting for a node',
    pulling: 'pulling the image',
    running: 'running',
  }[p];
}

function stamp(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}

function latest(events: CoreV1Event[]): CoreV1Event | undefined {
  return events.reduce<CoreV1Event | undefined>((a, e) => (!a || stamp(e) >= stamp(a) ? e : a), undefined);
}

function lastMessage(events: CoreV1Event[], reasons: string[]): string | undefined {
  return latest(events.filter((e) => e.reason && reasons.includes(e.reason)))?.message;
}

function newest(pods: V1Pod[]): V1Pod | undefined {
  const t = (p: V1Pod) => {
    const c = p.metadata?.creationTimestamp;
    return c ? new Date(c as unknown as string).getTime() : 0;
  };
  return pods.reduce<V1Pod | undefined>((a, p) => (!a || t(p) >= t(a) ? p : a), undefined);
}
