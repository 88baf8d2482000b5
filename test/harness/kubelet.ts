// Scheduler and kubelet for the emulated cluster. The "container" is a local process: the image's
// entrypoint (the built CLI) with the pod's args and env, volumes as temp dirs (the projected
// aws-iam-token minted by the loopback OIDC issuer), stdout+stderr as the pod log.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ClusterSettings } from './kube-api-pods.js';
import { recordEvent } from './kube-api-pods.js';
import type { KubeObject, Store } from './kube-api-store.js';
import { JobController } from './kubelet-job-controller.js';

export interface TokenRequest {
  namespace: string;
  serviceAccount: string;
  podName: string;
  podUid: string;
  nodeName: string;
  audience: string[];
  expiresInSeconds: number;
}

/** What the "node" provides: how to start the image, the network it sees, and the token signer. */
export interface PodRuntime {
  /** argv standing for the image's entrypoint, e.g. [process.execPath, 'dist/irsa-doctor.mjs'] */
  entrypoint: string[];
  /** env from the node's side: loopback STS/IMDS endpoints, CA bundle, HOME (the container's own env wins) */
  nodeEnv: Record<string, string>;
  mintToken(req: TokenRequest): Promise<string>;
}

export interface KubeletOptions {
  runtime: PodRuntime;
  /** image -> the registry's error when the pull fails (ErrImagePull, then ImagePullBackOff) */
  pullError?: (image: string) => string | undefined;
  /** how long a pull takes; a long one lets tests interrupt or hit the Job deadline while pulling */
  pullDelayMs?: number;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

export class Kubelet {
  private readonly jobs: JobController;
  private readonly logs = new Map<string, string>();
  private readonly procs = new Map<string, Running>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly workDir = mkdtempSync(join(tmpdir(), 'irsa-doctor-kubelet-'));
  private closed = false;

  constructor(
    private readonly store: Store,
    settings: ClusterSettings,
    private readonly opts: KubeletOptions,
  ) {
    this.jobs = new JobController(store, settings, {
      scheduled: (pod) => this.later(5, () => this.schedule(pod)),
      deletePod: (pod) => this.deletePod(pod),
      later: (ms, fn) => this.later(ms, fn),
    });
  }

  jobCreated(job: KubeObject): void {
    this.jobs.jobCreated(job);
  }
  jobDeleted(job: KubeObject, policy: string | undefined): void {
    this.jobs.jobDeleted(job, policy);
  }
  logOf(podUid: string): string {
    return this.logs.get(podUid) ?? '';
  }

  /** Graceful stop (SIGTERM, SIGKILL after 1 s), then the pod object goes. */
  deletePod(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const run = this.procs.get(uid);
    if (run) {
      run.child.kill('SIGTERM');
      const t = setTimeout(() => run.child.kill('SIGKILL'), 1000);
      void run.exited.then(() => clearTimeout(t));
    }
    if (this.store.find('pods', pod.metadata.namespace, pod.metadata.name)) {
      this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    }
    this.logs.delete(uid);
  }

  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.jobs.close();
    for (const t of this.timers) clearTimeout(t);
    for (const r of this.procs.values()) r.child.kill('SIGKILL');
    await Promise.all([...this.procs.values()].map((r) => r.exited));
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private update(pod: KubeObject, change: (p: KubeObject) => void): KubeObject | undefined {
    return this.store.update('pods', pod.metadata.namespace, pod.metadata.name, change);
  }

  private schedule(pod: KubeObject): void {
    const nodes = this.store.list('nodes');
    const selector: Record<string, string> = pod.spec.nodeSelector ?? {};
    const tolerations: KubeObject[] = pod.spec.tolerations ?? [];
    let unmatched = 0;
    const taints = new Map<string, number>();
    const fit = nodes.find((n) => {
      if (!Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v)) {
        unmatched++;
        return false;
      }
      const bad = (n.spec.taints ?? []).find(
        (t: KubeObject) => t.effect !== 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t)),
      );
      if (bad) {
        const k = `{${bad.key}: ${bad.value ?? ''}}`;
        taints.set(k, (taints.get(k) ?? 0) + 1);
        return false;
      }
      return true;
    });
    if (!fit) {
      const reasons = [
        ...(unmatched ? [`${unmatched} node(s) didn't match Pod's node affinity/selector`] : []),
        ...[...taints].map(([k, c]) => `${c} node(s) had untolerated taint ${k}`),
      ];
      const n = nodes.length;
      const message = `0/${n} nodes are available: ${reasons.join(', ')}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
      const updated = this.update(pod, (p) => {
        p.status.conditions = [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message,
            lastTransitionTime: new Date().toISOString(),
          },
        ];
      });
      if (updated)
        recordEvent(this.store, updated, {
          reason: 'FailedScheduling',
          message,
          type: 'Warning',
          component: 'default-scheduler',
        });
      return;
    }
    const node = fit.metadata.name;
    const bound = this.update(pod, (p) => {
      p.spec.nodeName = node;
      p.status.conditions = [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: new Date().toISOString() },
      ];
    });
    if (!bound) return;
    recordEvent(this.store, bound, {
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
      component: 'default-scheduler',
    });
    this.later(5, () => void this.start(bound));
  }

  private async start(pod: KubeObject): Promise<void> {
    const container = pod.spec.containers[0] as KubeObject;
    const node = pod.spec.nodeName as string;
    const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal') => {
      const current = this.store.find('pods', pod.metadata.namespace, pod.metadata.name);
      if (current)
        recordEvent(this.store, current, { reason, message, type, component: 'kubelet', host: node });
    };
    const waiting = (reason: string, message?: string) =>
      this.update(pod, (p) => {
        p.status.hostIP = '10.0.1.23';
        p.status.startTime ??= new Date().toISOString();
        p.status.containerStatuses = [
          {
            name: container.name,
            image: container.image,
            imageID: '',
            ready: false,
            restartCount: 0,
            started: false,
            state: { waiting: { reason, ...(message ? { message } : {}) } },
          },
        ];
      });
    if (!waiting('ContainerCreating')) return;
    event('Pulling', `Pulling image "${container.image}"`);
    await new Promise<void>((r) => this.later(this.opts.pullDelayMs ?? 10, r));
    if (!this.store.find('pods', pod.metadata.namespace, pod.metadata.name)) return;
    const pullError = this.opts.pullError?.(container.image);
    if (pullError) {
      waiting('ErrImagePull', pullError);
      event('Failed', `Failed to pull image "${container.image}": ${pullError}`, 'Warning');
      event('Failed', 'Error: ErrImagePull', 'Warning');
      this.later(20, () => {
        waiting(
          'ImagePullBackOff',
          `Back-off pulling image "${container.image}": ErrImagePull: ${pullError}`,
        );
        event('BackOff', `Back-off pulling image "${container.image}"`);
        event('Failed', 'Error: ImagePullBackOff', 'Warning');
      });
      return;
    }
    event(
      'Pulled',
      `Successfully pulled image "${container.image}" in 812ms (812ms including waiting). Image size: 48210944 bytes.`,
    );
    let env: Record<string, string>;
    try {
      env = await this.containerEnv(pod, container);
    } catch (e) {
      waiting('CreateContainerConfigError', String(e));
      return;
    }
    event('Created', `Created container: ${container.name}`);
    this.run(pod, container, env);
    event('Started', `Started container ${container.name}`);
  }

  /** Mounts volumes as temp dirs and resolves env; paths under a mount point to its dir. */
  private async containerEnv(pod: KubeObject, container: KubeObject): Promise<Record<string, string>> {
    const podDir = join(this.workDir, pod.metadata.uid!);
    const mounts = new Map<string, string>();
    for (const v of (pod.spec.volumes ?? []) as KubeObject[]) {
      const dir = join(podDir, 'volumes', v.name);
      mkdirSync(dir, { recursive: true });
      for (const src of (v.projected?.sources ?? []) as KubeObject[]) {
        const sat = src.serviceAccountToken;
        if (!sat) continue;
        const token = await this.opts.runtime.mintToken({
          namespace: pod.metadata.namespace!,
          serviceAccount: pod.spec.serviceAccountName,
          podName: pod.metadata.name,
          podUid: pod.metadata.uid!,
          nodeName: pod.spec.nodeName,
          audience: [sat.audience ?? 'https://kubernetes.default.svc'],
          expiresInSeconds: sat.expirationSeconds ?? 3600,
        });
        const file = join(dir, sat.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, token, { mode: 0o640 });
      }
    }
    for (const m of (container.volumeMounts ?? []) as KubeObject[])
      mounts.set(m.mountPath, join(podDir, 'volumes', m.name));
    const remap = (value: string) => {
      for (const [path, dir] of mounts) {
        if (value === path || value.startsWith(`${path}/`)) return dir + value.slice(path.length);
      }
      return value;
    };
    const fields: Record<string, string> = {
      'metadata.name': pod.metadata.name,
      'metadata.namespace': pod.metadata.namespace!,
      'spec.nodeName': pod.spec.nodeName,
      'spec.serviceAccountName': pod.spec.serviceAccountName,
    };
    const env: Record<string, string> = {};
    for (const e of (container.env ?? []) as KubeObject[]) {
      const v = e.value ?? fields[e.valueFrom?.fieldRef?.fieldPath ?? ''] ?? '';
      env[e.name] = remap(v);
    }
    return env;
  }

  private run(pod: KubeObject, container: KubeObject, env: Record<string, string>): void {
    const uid = pod.metadata.uid!;
    const [cmd, ...prefix] = this.opts.runtime.entrypoint;
    const child = spawn(cmd!, [...prefix, ...(container.args ?? [])], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOSTNAME: pod.metadata.name,
        ...this.opts.runtime.nodeEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.workDir,
    });
    this.logs.set(uid, '');
    const append = (d: Buffer) => {
      if (this.logs.has(uid)) this.logs.set(uid, this.logs.get(uid) + d.toString('utf8'));
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const startedAt = new Date().toISOString();
    this.update(pod, (p) => {
      p.status.phase = 'Running';
      p.status.podIP = '10.0.1.77';
      p.status.conditions = [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({ type, status: 'True' }));
      p.status.containerStatuses = [
        {
          name: container.name,
          image: container.image,
          imageID: `${container.image}@sha256:${'0'.repeat(64)}`,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt } },
        },
      ];
    });
    const exited = new Promise<void>((resolve) => {
      child.on('close', (code, signal) => {
        this.procs.delete(uid);
        resolve();
        const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 143);
        const finished = this.update(pod, (p) => {
          p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
          p.status.conditions = p.status.conditions.map((c: KubeObject) =>
            c.type === 'Ready' || c.type === 'ContainersReady'
              ? { ...c, status: 'False', reason: 'PodCompleted' }
              : c,
          );
          p.status.containerStatuses[0].ready = false;
          p.status.containerStatuses[0].started = false;
          p.status.containerStatuses[0].state = {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt,
              finishedAt: new Date().toISOString(),
              containerID: `containerd://${uid}`,
            },
          };
        });
        if (finished) this.jobs.podFinished(finished);
      });
      child.on('error', (e) => append(Buffer.from(`exec failed: ${e.message}\n`)));
    });
    this.procs.set(uid, { child, exited });
  }
}

function tolerates(tol: KubeObject, taint: KubeObject): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return !tol.key || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}
