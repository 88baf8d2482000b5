import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
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
  if (pod && (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'))
    return { kind: 'finished', pod };

  const waiting = pod?.status?.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting;
  if (pod && waiting?.reason && PULL_REASONS.has(waiting.reason)) {
    const image = pod.spec?.containers?.[0]?.image ?? '?';
    return {
      kind: 'failed',
      pod,
      finding: finding(
        'LAUNCH-IMAGE-PULL',
        `The node could not pull ${image} (${waiting.reason}): ${waiting.message ?? lastMessage(s.podEvents, ['Failed']) ?? 'no message'}`,
        { fix: { image }, details: { pod: podName, reason: waiting.reason, image } },
      ),
    };
  }
  if (pod && waiting?.reason && CONFIG_REASONS.has(waiting.reason)) {
    return {
      kind: 'failed',
      pod,
      finding: finding(
        'LAUNCH-CONTAINER-CONFIG',
        `The container could not start (${waiting.reason}): ${waiting.message ?? 'no message'}`,
        { details: { pod: podName, reason: waiting.reason } },
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
