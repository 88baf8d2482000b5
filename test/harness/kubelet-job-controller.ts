// The Job controller's part: create the pod (through admission), count it, enforce
// activeDeadlineSeconds, set the Complete/Failed conditions with their real reasons, and garbage
// collect pods by the deletion's propagationPolicy (the API's default for Jobs orphans them).
import { type ClusterSettings, createPod, recordEvent } from './kube-api-pods.js';
import { ApiError } from './kube-api-status.js';
import type { KubeObject, Store } from './kube-api-store.js';

export interface PodHost {
  /** hand a created pod to the scheduler */
  scheduled(pod: KubeObject): void;
  /** stop the pod's container and remove the pod */
  deletePod(pod: KubeObject): void;
  later(ms: number, fn: () => void): void;
}

export class JobController {
  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly settings: ClusterSettings,
    private readonly host: PodHost,
  ) {}

  jobCreated(job: KubeObject): void {
    const { namespace, name } = job.metadata;
    const started = this.store.update('jobs', namespace, name, (j) => {
      j.status = {
        startTime: new Date().toISOString(),
        active: 0,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
      };
    });
    if (!started) return;
    const deadline = job.spec.activeDeadlineSeconds;
    if (typeof deadline === 'number') {
      const t = setTimeout(() => this.deadlineExceeded(namespace!, name), deadline * 1000);
      this.deadlines.set(job.metadata.uid!, t);
    }
    this.host.later(5, () => this.createPodFor(namespace!, name));
  }

  private createPodFor(namespace: string, name: string): void {
    const job = this.store.find('jobs', namespace, name);
    if (!job || this.finished(job)) return;
    const template = job.spec.template;
    const pod: KubeObject = {
      metadata: {
        name: '',
        generateName: `${name}-`,
        namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name,
            uid: job.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
        enableServiceLinks: true,
        ...structuredClone(template.spec),
      },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
    try {
      const created = createPod(this.store, this.settings, pod);
      recordEvent(this.store, job, {
        reason: 'SuccessfulCreate',
        message: `Created pod: ${created.metadata.name}`,
        component: 'job-controller',
      });
      this.store.update('jobs', namespace, name, (j) => {
        j.status.active = 1;
      });
      this.host.scheduled(created);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      recordEvent(this.store, job, {
        reason: 'FailedCreate',
        message: `Error creating: ${e.status.message}`,
        type: 'Warning',
        component: 'job-controller',
      });
    }
  }

  podFinished(pod: KubeObject): void {
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'Job');
    if (!owner) return;
    const job = this.store.find('jobs', pod.metadata.namespace, owner.name);
    if (!job || this.finished(job)) return;
    const now = new Date().toISOString();
    const ok = pod.status.phase === 'Succeeded';
    this.clearDeadline(job);
    this.store.update('jobs', job.metadata.namespace, job.metadata.name, (j) => {
      j.status.active = 0;
      j.status.ready = 0;
      if (ok) {
        j.status.succeeded = 1;
        j.status.completionTime = now;
        j.status.conditions = [
          condition(
            'SuccessCriteriaMet',
            'CompletionsReached',
            'Reached expected number of succeeded pods',
            now,
          ),
          condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
        ];
      } else {
        j.status.failed = 1;
        j.status.conditions = [
          condition(
            'FailureTarget',
            'BackoffLimitExceeded',
            'Job has reached the specified backoff limit',
            now,
          ),
          condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now),
        ];
      }
    });
    recordEvent(
      this.store,
      job,
      ok
        ? { reason: 'Completed', message: 'Job completed', component: 'job-controller' }
        : {
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            type: 'Warning',
            component: 'job-controller',
          },
    );
  }

  private deadlineExceeded(namespace: string, name: string): void {
    const job = this.store.find('jobs', namespace, name);
    if (!job || this.finished(job)) return;
    const pods = this.podsOf(job);
    for (const p of pods) this.host.deletePod(p);
    const now = new Date().toISOString();
    const message = 'Job was active longer than specified deadline';
    this.store.update('jobs', namespace, name, (j) => {
      j.status.active = 0;
      j.status.failed = (j.status.failed ?? 0) + pods.length;
      j.status.conditions = [
        condition('FailureTarget', 'DeadlineExceeded', message, now),
        condition('Failed', 'DeadlineExceeded', message, now),
      ];
    });
    recordEvent(this.store, job, {
      reason: 'DeadlineExceeded',
      message,
      type: 'Warning',
      component: 'job-controller',
    });
  }

  /** Background/Foreground: the garbage collector deletes the pods; Orphan (the Job default): they stay. */
  jobDeleted(job: KubeObject, propagationPolicy: string | undefined): void {
    this.clearDeadline(job);
    this.store.delete('jobs', job.metadata.namespace, job.metadata.name);
    const pods = this.podsOf(job);
    // Other dependents (the launcher's CA bundle ConfigMap) go the same way: the garbage collector
    // follows every ownerReference, not only the Job controller's own pods.
    const configMaps = this.store
      .list('configmaps', job.metadata.namespace)
      .filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid));
    if (propagationPolicy === 'Background' || propagationPolicy === 'Foreground') {
      this.host.later(5, () => {
        for (const p of pods)
          if (this.store.find('pods', p.metadata.namespace, p.metadata.name)) this.host.deletePod(p);
        for (const cm of configMaps)
          if (this.store.find('configmaps', cm.metadata.namespace, cm.metadata.name))
            this.store.delete('configmaps', cm.metadata.namespace, cm.metadata.name);
      });
      return;
    }
    for (const [resource, list] of [
      ['pods', pods],
      ['configmaps', configMaps],
    ] as const) {
      for (const o of list) {
        this.store.update(resource, o.metadata.namespace, o.metadata.name, (x) => {
          x.metadata.ownerReferences = (x.metadata.ownerReferences ?? []).filter(
            (r) => r.uid !== job.metadata.uid,
          );
        });
      }
    }
  }

  close(): void {
    for (const t of this.deadlines.values()) clearTimeout(t);
    this.deadlines.clear();
  }

  private podsOf(job: KubeObject): KubeObject[] {
    return this.store
      .list('pods', job.metadata.namespace)
      .filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid));
  }

  private finished(job: KubeObject): boolean {
    return (job.status?.conditions ?? []).some(
      (c: KubeObject) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
  }

  private clearDeadline(job: KubeObject): void {
    const t = this.deadlines.get(job.metadata.uid!);
    if (t) clearTimeout(t);
    this.deadlines.delete(job.metadata.uid!);
  }
}

function condition(type: string, reason: string, message: string, now: string) {
  return { type, status: 'True', reason, message, lastProbeTime: now, lastTransitionTime: now };
}
