import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import { apiError } from '../api-error.js';
import { judgeJob, type Observation, type WaitPhase } from './judge-job.js';

export type WaitResult = Exclude<Observation, { kind: 'waiting' }> | { kind: 'interrupted'; pod?: V1Pod };

export interface WaitOptions {
  /** Give up after this long even if the Job controller never marks the Job failed. */
  limitMs: number;
  signal: AbortSignal;
  onPhase?: (phase: WaitPhase, pod?: V1Pod) => void;
  /** Re-read period while the watches run; events (FailedCreate, FailedScheduling) only come this way. */
  pollMs?: number;
}

/**
 * Waits for the Job's pod to finish or fail. Watches on the pods and the Job wake it up at once;
 * a slower poll catches events and covers a watch that broke or is not allowed.
 */
export function waitForJob(
  kube: KubeClient,
  namespace: string,
  job: string,
  opts: WaitOptions,
): Promise<WaitResult> {
  const pollMs = opts.pollMs ?? 2000;
  return new Promise<WaitResult>((resolve) => {
    const stops: Array<() => void> = [];
    let settled = false;
    let running = false;
    let again = false;
    let watching = 0;
    let lastPhase: WaitPhase | undefined;
    let lastPod: V1Pod | undefined;
    let errors = 0;
    let timer: NodeJS.Timeout | undefined;

    const finish = (r: WaitResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(limit);
      opts.signal.removeEventListener('abort', onAbort);
      for (const s of stops) s();
      resolve(r);
    };
    const onAbort = () => finish({ kind: 'interrupted', ...(lastPod ? { pod: lastPod } : {}) });
    const limit = setTimeout(
      () =>
        finish({
          kind: 'failed',
          ...(lastPod ? { pod: lastPod } : {}),
          finding: finding(
            'LAUNCH-DEADLINE',
            `Job ${job} did not finish within ${Math.round(opts.limitMs / 1000)} s${lastPhase ? ` (last seen: ${lastPhase})` : ''}.`,
            { variant: 'wait', details: { job, ...(lastPhase ? { phase: lastPhase } : {}) } },
          ),
        }),
      opts.limitMs,
    );
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort, { once: true });

    const evaluate = async () => {
      if (settled) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const obs = await look(kube, namespace, job, lastPhase);
        errors = 0;
        if (obs.kind === 'waiting') {
          if (obs.pod) lastPod = obs.pod;
          if (obs.phase !== lastPhase) {
            lastPhase = obs.phase;
            opts.onPhase?.(obs.phase, obs.pod);
          }
        } else finish(obs);
      } catch (e) {
        const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
        // A forbidden read never heals; a flaky network gets a few more polls.
        if (err.forbidden || ++errors >= 3)
          finish({ kind: 'failed', finding: apiError(err, `waiting for Job ${job}`, namespace) });
      } finally {
        running = false;
      }
      if (again && !settled) {
        again = false;
        void evaluate();
      }
    };
    const schedule = () => {
      if (settled) return;
      timer = setTimeout(
        () => {
          void evaluate().then(schedule);
        },
        watching > 0 ? pollMs : Math.min(pollMs, 1000),
      );
    };
    const startWatch = (path: string, query: Record<string, string>) => {
      kube
        .watch(
          path,
          query,
          () => void evaluate(),
          () => {
            watching = Math.max(0, watching - 1);
          },
        )
        .then(
          (stop) => {
            watching++;
            if (settled) stop();
            else stops.push(stop);
          },
          () => undefined,
        );
    };
    startWatch(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: `job-name=${job}` });
    startWatch(`/apis/batch/v1/namespaces/${namespace}/jobs`, { fieldSelector: `metadata.name=${job}` });
    void evaluate().then(schedule);
  });
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
