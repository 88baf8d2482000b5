import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import { apiError } from '../api-error.js';
import { judgeJob, type Observation, type WaitPhase } from './judge-job.js';
import { WakeUps } from './wake-ups.js';

/** How the wait ended: the pod finished (read its log), a finding says why it will not, or the run was interrupted. */
export type WaitResult = Exclude<Observation, { kind: 'waiting' }> | { kind: 'interrupted'; pod?: V1Pod };

export interface WaitOptions {
  /** Give up after this long even if the Job controller never marks the Job failed. */
  limitMs: number;
  signal: AbortSignal;
  onPhase?: (phase: WaitPhase, pod?: V1Pod) => void;
  /** Re-read period while the watches run; events (FailedCreate, FailedScheduling) only come this way. */
  pollMs?: number;
}

/** Consecutive failed reads that end the wait: a flaky network gets a few more polls. */
const MAX_FAILED_READS = 3;

/**
 * Waits for the Job's pod to finish or fail: looks at the Job whenever something wakes it up. Watches on
 * the pods and the Job wake it at once; a poll (every pollMs, every second while no watch is up) catches
 * events and covers a watch that broke or is not allowed; the signal and the limit end it, even during
 * a look. The watches and timers are gone when it returns.
 */
export async function waitForJob(
  kube: KubeClient,
  namespace: string,
  job: string,
  opts: WaitOptions,
): Promise<WaitResult> {
  if (opts.signal.aborted) return { kind: 'interrupted' };
  const pollMs = opts.pollMs ?? 2000;
  const wakeUps = new WakeUps();
  const onAbort = () => wakeUps.push('abort');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const limit = setTimeout(() => wakeUps.push('limit'), opts.limitMs);
  const watches = watchJob(kube, namespace, job, () => wakeUps.push('watch'));
  let poll: NodeJS.Timeout | undefined;
  const seen: { phase?: WaitPhase; pod?: V1Pod } = {};
  let failedReads = 0;
  wakeUps.push('poll');
  try {
    for (;;) {
      const next = await wakeUps.next();
      if (next === 'abort') return { kind: 'interrupted', ...(seen.pod ? { pod: seen.pod } : {}) };
      if (next === 'limit') return deadline(job, opts.limitMs, seen);
      clearTimeout(poll);
      const looked = await Promise.race([tryLook(kube, namespace, job, seen.phase), wakeUps.ended]);
      if (looked === 'abort' || looked === 'limit') continue;
      if (looked instanceof KubeError) {
        // A forbidden read never heals; anything else gets a few more tries.
        if (looked.forbidden || ++failedReads >= MAX_FAILED_READS)
          return { kind: 'failed', finding: apiError(looked, `waiting for Job ${job}`, namespace) };
      } else if (looked.kind !== 'waiting') {
        return looked;
      } else {
        failedReads = 0;
        if (looked.pod) seen.pod = looked.pod;
        if (looked.phase !== seen.phase) {
          seen.phase = looked.phase;
          opts.onPhase?.(looked.phase, looked.pod);
        }
      }
      poll = setTimeout(() => wakeUps.push('poll'), watches.active() > 0 ? pollMs : Math.min(pollMs, 1000));
    }
  } finally {
    clearTimeout(poll);
    clearTimeout(limit);
    opts.signal.removeEventListener('abort', onAbort);
    watches.stop();
  }
}

function deadline(job: string, limitMs: number, seen: { phase?: WaitPhase; pod?: V1Pod }): WaitResult {
  return {
    kind: 'failed',
    ...(seen.pod ? { pod: seen.pod } : {}),
    finding: finding(
      'LAUNCH-DEADLINE',
      `Job ${job} did not finish within ${Math.round(limitMs / 1000)} s${seen.phase ? ` (last seen: ${seen.phase})` : ''}.`,
      { variant: 'wait', details: { job, ...(seen.phase ? { phase: seen.phase } : {}) } },
    ),
  };
}

/**
 * Watches on the Job's pods and on the Job, each event a reason to look. `active` counts the watches
 * whose request went out and whose stream has not ended (a refused watch ends at once).
 */
function watchJob(
  kube: KubeClient,
  namespace: string,
  job: string,
  onChange: () => void,
): { active(): number; stop(): void } {
  let active = 0;
  let stopped = false;
  const stops: Array<() => void> = [];
  const start = (path: string, query: Record<string, string>) => {
    kube
      .watch(path, query, onChange, () => {
        active = Math.max(0, active - 1);
      })
      .then(
        (stop) => {
          active++;
          if (stopped) stop();
          else stops.push(stop);
        },
        // No watch at all: the poll alone carries the wait.
        () => undefined,
      );
  };
  start(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: `job-name=${job}` });
  start(`/apis/batch/v1/namespaces/${namespace}/jobs`, { fieldSelector: `metadata.name=${job}` });
  return {
    active: () => active,
    stop: () => {
      stopped = true;
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** A look whose API failure is a value, so the loop counts it instead of unwinding. */
async function tryLook(
  kube: KubeClient,
  namespace: string,
  job: string,
  lastPhase: WaitPhase | undefined,
): Promise<Observation | KubeError> {
  try {
    return await look(kube, namespace, job, lastPhase);
  } catch (e) {
    return e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
  }
}

/** One consistent read of the Job, its pods and the events that explain a stuck pod. */
async function look(
  kube: KubeClient,
  namespace: string,
  job: string,
  lastPhase: WaitPhase | undefined,
): Promise<Observation> {
  let jobObj: V1Job | undefined;
  try {
    jobObj = await kube.readJob(namespace, job);
  } catch (e) {
    if (!(e instanceof KubeError && e.notFound)) throw e;
    return {
      kind: 'failed',
      finding: finding(
        'LAUNCH-NO-REPORT',
        `Job ${job} disappeared before its pod reported (deleted by someone else, or by its TTL).`,
        { variant: 'disappeared', details: { job } },
      ),
    };
  }
  const pods = await kube.listJobPods(namespace, job);
  const snapshot = {
    job: jobObj,
    pods,
    jobEvents: [] as CoreV1Event[],
    podEvents: [] as CoreV1Event[],
    ...(lastPhase ? { lastPhase } : {}),
  };
  const first = judgeJob(snapshot);
  // Events are only needed to explain a pod that is missing or stuck; skip the call otherwise.
  const pod = first.kind === 'waiting' ? first.pod : undefined;
  const stuck = pod?.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (first.kind === 'waiting' && (pods.length === 0 || stuck)) {
    if (pods.length === 0) snapshot.jobEvents = await eventsAbout(kube, namespace, job);
    else snapshot.podEvents = await eventsAbout(kube, namespace, pod!.metadata!.name!);
    return judgeJob(snapshot);
  }
  if (first.kind === 'failed' && first.pod && first.finding.code !== 'LAUNCH-DEADLINE') {
    // Attach the scheduler's / kubelet's own words when the status has none.
    snapshot.podEvents = await kube.listEvents(namespace, first.pod.metadata!.name!).catch(() => []);
    return judgeJob(snapshot);
  }
  return first;
}

/**
 * Events only explain; an API server without them (404, 405) must not fail the wait. Forbidden
 * still does (k8s/rbac.yaml grants them), and so does no answer at all, for the retry count.
 */
async function eventsAbout(kube: KubeClient, namespace: string, name: string): Promise<CoreV1Event[]> {
  try {
    return await kube.listEvents(namespace, name);
  } catch (e) {
    if (e instanceof KubeError && e.status !== undefined && !e.forbidden) return [];
    throw e;
  }
}
