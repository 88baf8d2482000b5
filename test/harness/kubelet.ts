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
import { isMeshProxy, MESH_PROXY_PROCESS } from './kube-mesh.js';
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
  role: 'main' | 'sidecar';
}

export class Kubelet {
  private readonly jobs: JobController;
  private readonly logs = new Map<string, string>();
  /** pod uid -> container name -> its process */
  private readonly procs = new Map<string, Map<string, Running>>();
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
  logOf(podUid: string, container: string): string {
    return this.logs.get(`${podUid}/${container}`) ?? '';
  }

  /** Graceful stop of every container (SIGTERM, SIGKILL after 1 s), then the pod object goes. */
  deletePod(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    for (const run of this.procs.get(uid)?.values() ?? []) {
      run.child.kill('SIGTERM');
      const t = setTimeout(() => run.child.kill('SIGKILL'), 1000);
      void run.exited.then(() => clearTimeout(t));
    }
    if (this.store.find('pods', pod.metadata.namespace, pod.metadata.name)) {
      this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    }
    for (const k of [...this.logs.keys()]) if (k.startsWith(`${uid}/`)) this.logs.delete(k);
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
    const all = [...this.procs.values()].flatMap((m) => [...m.values()]);
    for (const r of all) r.child.kill('SIGKILL');
    await Promise.all(all.map((r) => r.exited));
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

  /**
   * Runs the pod's containers: native sidecars (init containers with restartPolicy Always) first, then
   * the containers, each pulled, its volumes mounted (a configMap volume waits for its ConfigMap, with
   * FailedMount events meanwhile, as the kubelet retries), then started as a local process.
   */
  private async start(pod: KubeObject): Promise<void> {
    const node = pod.spec.nodeName as string;
    const sidecars = ((pod.spec.initContainers ?? []) as KubeObject[]).filter(
      (c) => c.restartPolicy === 'Always',
    );
    const mains = pod.spec.containers as KubeObject[];
    const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal') => {
      const current = this.store.find('pods', pod.metadata.namespace, pod.metadata.name);
      if (current)
        recordEvent(this.store, current, { reason, message, type, component: 'kubelet', host: node });
    };
    const gone = () => !this.store.find('pods', pod.metadata.namespace, pod.metadata.name);
    const waiting = (reason: string, message?: string, only?: string) =>
      this.update(pod, (p) => {
        p.status.hostIP = '10.0.1.23';
        p.status.startTime ??= new Date().toISOString();
        const status = (c: KubeObject) => {
          const previous = [
            ...(p.status.containerStatuses ?? []),
            ...(p.status.initContainerStatuses ?? []),
          ].find((s: KubeObject) => s.name === c.name);
          if (only !== undefined && c.name !== only && previous) return previous;
          return {
            name: c.name,
            image: c.image,
            imageID: '',
            ready: false,
            restartCount: 0,
            started: false,
            state: {
              waiting: {
                reason: only === undefined || c.name === only ? reason : 'ContainerCreating',
                ...(message && (only === undefined || c.name === only) ? { message } : {}),
              },
            },
          };
        };
        p.status.containerStatuses = mains.map(status);
        if (sidecars.length) p.status.initContainerStatuses = sidecars.map(status);
      });
    if (!waiting('ContainerCreating')) return;
    for (const c of [...sidecars, ...mains]) {
      event('Pulling', `Pulling image "${c.image}"`);
      await new Promise<void>((r) => this.later(this.opts.pullDelayMs ?? 10, r));
      if (gone()) return;
      const pullError = this.opts.pullError?.(c.image);
      if (pullError) {
        waiting('ErrImagePull', pullError, c.name);
        event('Failed', `Failed to pull image "${c.image}": ${pullError}`, 'Warning');
        event('Failed', 'Error: ErrImagePull', 'Warning');
        this.later(20, () => {
          waiting(
            'ImagePullBackOff',
            `Back-off pulling image "${c.image}": ErrImagePull: ${pullError}`,
            c.name,
          );
          event('BackOff', `Back-off pulling image "${c.image}"`);
          event('Failed', 'Error: ImagePullBackOff', 'Warning');
        });
        return;
      }
      event(
        'Pulled',
        `Successfully pulled image "${c.image}" in 812ms (812ms including waiting). Image size: 48210944 bytes.`,
      );
    }
    let mounts: Map<string, string>;
    try {
      const mounted = await this.mountVolumes(pod, event, gone);
      if (!mounted) return;
      mounts = mounted;
    } catch (e) {
      waiting('CreateContainerConfigError', String(e));
      return;
    }
    const envs = new Map<string, Record<string, string>>();
    for (const c of [...sidecars, ...mains]) envs.set(c.name, this.containerEnv(pod, c, mounts));
    for (const c of [...sidecars, ...mains]) {
      event('Created', `Created container: ${c.name}`);
      this.run(pod, c, envs.get(c.name)!, sidecars.includes(c) ? 'sidecar' : 'main', mounts);
      event('Started', `Started container ${c.name}`);
    }
  }

  /**
   * Volumes as temp dirs: projected tokens minted by the issuer, configMap keys written as files. A
   * missing ConfigMap (or key) is a FailedMount event and a retry, until it appears or the pod goes.
   * Returns volume name -> dir, or undefined when the pod went away while waiting.
   */
  private async mountVolumes(
    pod: KubeObject,
    event: (reason: string, message: string, type?: 'Normal' | 'Warning') => void,
    gone: () => boolean,
  ): Promise<Map<string, string> | undefined> {
    const podDir = join(this.workDir, pod.metadata.uid!);
    const dirs = new Map<string, string>();
    for (const v of (pod.spec.volumes ?? []) as KubeObject[]) {
      const dir = join(podDir, 'volumes', v.name);
      mkdirSync(dir, { recursive: true });
      dirs.set(v.name, dir);
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
      if (v.configMap) {
        for (let tries = 0; ; tries++) {
          if (gone()) return undefined;
          const problem = this.writeConfigMap(pod.metadata.namespace!, v.configMap, dir);
          if (!problem) break;
          if (tries === 0 || tries % 10 === 0)
            event('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${problem}`, 'Warning');
          await new Promise<void>((r) => this.later(100, r));
        }
      }
    }
    return dirs;
  }

  /** Writes a configMap volume's files; returns what the kubelet would say when it cannot. */
  private writeConfigMap(namespace: string, source: KubeObject, dir: string): string | undefined {
    const cm = this.store.find('configmaps', namespace, source.name);
    if (!cm) return `configmap "${source.name}" not found`;
    const data: Record<string, string> = cm.data ?? {};
    const items: Array<{ key: string; path: string }> =
      source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      if (!(item.key in data)) return `configmap references non-existent config key: ${item.key}`;
      const file = join(dir, item.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data[item.key]!, { mode: 0o644 });
    }
    return undefined;
  }

  /** The container's env, with paths under a mount pointing at its dir. */
  private containerEnv(
    pod: KubeObject,
    container: KubeObject,
    mounts: Map<string, string>,
  ): Record<string, string> {
    const remap = this.remapper(container, mounts);
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

  /**
   * The container's mount namespace, emulated: a path at or under a mountPath (in env or args) becomes
   * the same path under the volume's temp dir.
   */
  private remapper(container: KubeObject, mounts: Map<string, string>): (value: string) => string {
    const byPath = new Map<string, string>();
    for (const m of (container.volumeMounts ?? []) as KubeObject[]) {
      const dir = mounts.get(m.name);
      if (dir) byPath.set(m.mountPath, dir);
    }
    return (value: string) => {
      for (const [path, dir] of byPath) {
        if (value === path || value.startsWith(`${path}/`)) return dir + value.slice(path.length);
      }
      return value;
    };
  }

  /** The image's entrypoint: a mesh's proxy idles; anything else is the image under test. */
  private entrypoint(image: string): string[] {
    return isMeshProxy(image) ? MESH_PROXY_PROCESS : this.opts.runtime.entrypoint;
  }

  private run(
    pod: KubeObject,
    container: KubeObject,
    env: Record<string, string>,
    role: 'main' | 'sidecar',
    mounts: Map<string, string>,
  ): void {
    const uid = pod.metadata.uid!;
    const remap = this.remapper(container, mounts);
    const [cmd, ...prefix] = this.entrypoint(container.image);
    const args = ((container.args ?? []) as string[]).map(remap);
    const child = spawn(cmd!, [...prefix, ...(isMeshProxy(container.image) ? [] : args)], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOSTNAME: pod.metadata.name,
        ...this.opts.runtime.nodeEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.workDir,
    });
    const logKey = `${uid}/${container.name}`;
    this.logs.set(logKey, '');
    const append = (d: Buffer) => {
      if (this.logs.has(logKey)) this.logs.set(logKey, this.logs.get(logKey) + d.toString('utf8'));
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const startedAt = new Date().toISOString();
    const statusOf = (p: KubeObject): KubeObject | undefined =>
      [...(p.status.containerStatuses ?? []), ...(p.status.initContainerStatuses ?? [])].find(
        (s: KubeObject) => s.name === container.name,
      );
    this.update(pod, (p) => {
      const st = statusOf(p);
      if (st) {
        Object.assign(st, {
          imageID: `${container.image}@sha256:${'0'.repeat(64)}`,
          ready: true,
          started: true,
          state: { running: { startedAt } },
        });
      }
      const all = [...(p.status.containerStatuses ?? []), ...(p.status.initContainerStatuses ?? [])];
      if (all.every((s: KubeObject) => s.state?.running || s.state?.terminated)) {
        p.status.phase = 'Running';
        p.status.podIP = '10.0.1.77';
        p.status.conditions = [
          'PodReadyToStartContainers',
          'Initialized',
          'Ready',
          'ContainersReady',
          'PodScheduled',
        ].map((type) => ({ type, status: 'True' }));
      }
    });
    const exited = new Promise<void>((resolve) => {
      child.on('close', (code, signal) => {
        this.procs.get(uid)?.delete(container.name);
        resolve();
        const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 143);
        const finished = this.update(pod, (p) => {
          const st = statusOf(p);
          if (st) {
            st.ready = false;
            st.started = false;
            st.state = {
              terminated: {
                exitCode,
                reason: exitCode === 0 ? 'Completed' : 'Error',
                startedAt,
                finishedAt: new Date().toISOString(),
                containerID: `containerd://${uid}-${container.name}`,
              },
            };
          }
          p.status.conditions = (p.status.conditions ?? []).map((c: KubeObject) =>
            c.type === 'Ready' || c.type === 'ContainersReady'
              ? { ...c, status: 'False', reason: 'PodCompleted' }
              : c,
          );
          const mains = (p.status.containerStatuses ?? []) as KubeObject[];
          const sidecarsDone = ((p.status.initContainerStatuses ?? []) as KubeObject[]).every(
            (s) => s.state?.terminated,
          );
          // The pod ends once every container has, native sidecars included (stopped below once the
          // main containers are done); a classic sidecar that never exits keeps it Running.
          if (mains.every((s) => s.state?.terminated) && sidecarsDone)
            p.status.phase = mains.every((s) => s.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
        });
        if (!finished) return;
        if (finished.status.phase === 'Succeeded' || finished.status.phase === 'Failed') {
          this.jobs.podFinished(finished);
          return;
        }
        const mainsDone = (finished.status.containerStatuses as KubeObject[]).every(
          (s) => s.state?.terminated,
        );
        if (role === 'main' && mainsDone) this.stopSidecars(uid, pod);
      });
      child.on('error', (e) => append(Buffer.from(`exec failed: ${e.message}\n`)));
    });
    let procs = this.procs.get(uid);
    if (!procs) {
      procs = new Map();
      this.procs.set(uid, procs);
    }
    procs.set(container.name, { child, exited, role });
  }

  /**
   * Once the main containers are done, the kubelet stops native sidecars: SIGTERM, then SIGKILL when
   * the pod's grace period (terminationGracePeriodSeconds, 30 s by default) runs out.
   */
  private stopSidecars(uid: string, pod: KubeObject): void {
    const grace = (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    for (const run of this.procs.get(uid)?.values() ?? []) {
      if (run.role !== 'sidecar') continue;
      run.child.kill('SIGTERM');
      this.later(grace, () => run.child.kill('SIGKILL'));
    }
  }
}

function tolerates(tol: KubeObject, taint: KubeObject): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return !tol.key || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}
