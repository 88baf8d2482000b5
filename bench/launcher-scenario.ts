// `irsa-doctor run` against the loopback Kubernetes API, whose kubelet runs the agent bundle as the
// pod's process. The agent's own share is timed from the store's pod transitions (Running when the
// kubelet spawned it, terminated when it exited), so overhead = launcher wall − agent lifetime.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../src/report/types.js';
import type { EksStack } from '../test/harness/eks-stack.js';
import { type KubeApi, startKubeApi } from '../test/harness/kube-api.js';
import type { KubeObject } from '../test/harness/kube-api-store.js';
import { eksPodRuntime } from '../test/harness/kubelet-eks.js';
import { measureNode, type RssProbe } from './measure-process.js';
import { AGENT, checkStatuses, type RunOutcome, type Scenario } from './scenario.js';

const NS = 'camunda';
const SA = 'zeebe-sa';

export interface LauncherBench {
  scenario: Scenario;
  close(): Promise<void>;
}

export async function launcherScenario(eks: EksStack, probe: RssProbe, runs: number): Promise<LauncherBench> {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-bench-launcher-'));
  // The pod runs the bundle the image ships, as the image's entrypoint would.
  const runtime = await eksPodRuntime(eks, resolve(AGENT));
  const api: KubeApi = await startKubeApi({ ca: eks.ca, kubelet: { runtime } });
  api.addNamespace(NS, { 'pod-security.kubernetes.io/enforce': 'restricted' });
  api.addServiceAccount(NS, SA, { 'eks.amazonaws.com/role-arn': eks.roleArn });
  const kubeconfig = api.writeKubeconfig(dir);

  const once = async (): Promise<RunOutcome> => {
    const started = new Map<string, number>();
    const finished = new Map<string, number>();
    const unsubscribe = api.store.subscribe((_type, resource, obj: KubeObject) => {
      if (resource !== 'pods') return;
      const uid = obj.metadata.uid as string;
      const state = obj.status?.containerStatuses?.[0]?.state ?? {};
      if (state.running && !started.has(uid)) started.set(uid, performance.now());
      if (state.terminated && !finished.has(uid)) finished.set(uid, performance.now());
    });
    const sample = await measureNode(
      probe,
      ['dist/irsa-doctor.mjs', 'run', '-n', NS, '-s', SA, '-o', 'json'],
      {
        env: { KUBECONFIG: kubeconfig, HOME: dir },
        killAfterMs: 60_000,
      },
    );
    unsubscribe();
    const uids = [...finished.keys()].filter((u) => started.has(u));
    const agentMs = uids.length === 1 ? finished.get(uids[0]!)! - started.get(uids[0]!)! : undefined;
    let problem: string | undefined;
    let report: Report | undefined;
    try {
      report = JSON.parse(sample.stdout) as Report;
    } catch {
      problem = `launcher printed no JSON (exit ${sample.code}): ${sample.stderr.trim().split('\n')[0] ?? ''}`;
    }
    const launcher = report?.checks.find((c) => c.id === 'launcher');
    if (report && launcher?.status !== 'pass')
      problem = `launcher check ${launcher?.status}: ${checkStatuses(report)}`;
    else if (report && report.checks.length < 2) problem = 'no agent report merged';
    if (!problem && agentMs === undefined) problem = `expected one pod run, saw ${uids.length}`;
    return {
      sample,
      ...(agentMs !== undefined ? { agentMs } : {}),
      ...(problem ? { problem } : {}),
      notes: report ? [`verdict ${report.verdict}: ${checkStatuses(report)}`] : [],
    };
  };

  return {
    scenario: {
      id: 'launcher',
      title: '`irsa-doctor run`, healthy ServiceAccount',
      runs,
      warmup: 1,
      targets: [{ kind: 'launcher-overhead', ms: 1000 }],
      describe:
        "`dist/irsa-doctor.mjs run -n camunda -s zeebe-sa -o json` against the loopback Kubernetes API (HTTPS); the emulated kubelet runs `dist/agent.mjs` as the pod. Overhead = launcher wall − agent process lifetime; it includes the launcher's own Node start, preflight, Job create, watch, log read, Job delete, and the emulator's fixed 20 ms of scheduling/pull delays. Peak RSS is the launcher's.",
      once,
    },
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
