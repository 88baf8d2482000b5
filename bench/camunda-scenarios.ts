// `irsa-doctor camunda` on an 8.8 release of 8 components (orchestration, optimize, identity,
// keycloak, the three Web Modeler parts, connectors), as the chart renders it and Helm stores it, on
// the loopback EKS of the scenario tests (test/support/camunda-world.ts): discovery and the
// Camunda-side findings alone (--no-pods), then with the agent run as each of the 7 components that
// hold a role, 8 Jobs at a time, against the real PostgreSQL behind the RDS IAM front door and the
// OpenSearch domain.
import { resolve } from 'node:path';
import type { CamundaDocument } from '../src/report/render/camunda.js';
import { type CamundaWorld, install, startCamundaWorld } from '../test/support/camunda-world.js';
import { measureNode, type RssProbe } from './measure-process.js';
import type { RunOutcome, Scenario } from './scenario.js';

const NS = 'bench-camunda';
const COMPONENTS = 8;

export interface CamundaBench {
  scenarios: Scenario[];
  close(): Promise<void>;
}

export async function camundaScenarios(probe: RssProbe, runs: number): Promise<CamundaBench> {
  // Bundled, this file cannot find dist/ from its own URL: the kubelet is told where the CLI is.
  const w: CamundaWorld = await startCamundaWorld({ pods: true, cli: resolve('dist/irsa-doctor.mjs') });
  install(w, '8.8', { namespace: NS });
  const env = { KUBECONFIG: w.s.kubeconfig, HOME: w.s.dir };
  const once = (args: string[], withPods: boolean) => async (): Promise<RunOutcome> => {
    const sample = await measureNode(
      probe,
      ['dist/irsa-doctor.mjs', 'camunda', '-n', NS, '-o', 'json', ...args],
      {
        env,
        killAfterMs: 120_000,
      },
    );
    let problem: string | undefined;
    const notes: string[] = [];
    try {
      const doc = JSON.parse(sample.stdout) as CamundaDocument;
      const ran = doc.components.filter((c) => c.report).length;
      if (doc.components.length !== COMPONENTS)
        problem = `${doc.components.length} components found, not ${COMPONENTS}`;
      else if (doc.verdict === 'fail') problem = `the deployment failed: ${failedCodes(doc).join(', ')}`;
      else if (withPods && ran === 0) problem = 'no agent ran';
      notes.push(
        `components ${doc.components.length}, agent runs ${ran}, command's own durationMs ${doc.durationMs}`,
      );
    } catch {
      problem = `no JSON (exit ${sample.code}): ${sample.stderr.split('\n')[0] ?? ''}`;
    }
    return { sample, ...(problem ? { problem } : {}), notes };
  };
  return {
    scenarios: [
      {
        id: 'camunda-no-pods',
        title: '`irsa-doctor camunda -n NS --no-pods`, an 8.8 release of 8 components',
        runs,
        warmup: 1,
        targets: [{ kind: 'wall', ms: 1000 }],
        describe:
          'Discovery (Helm release Secret labels, the deployed revision, Deployments, StatefulSets, their ConfigMaps, ServiceAccounts) and the Camunda-side findings; nothing is created.',
        once: once(['--no-pods'], false),
      },
      {
        id: 'camunda-pods',
        title:
          '`irsa-doctor camunda -n NS --parallel 8`, the same release, one agent Job per component with a role',
        runs,
        warmup: 1,
        targets: [{ kind: 'wall', ms: 3000 }],
        describe:
          "Each Job runs the agent (all checks) as the component's ServiceAccount against its own Aurora login (IAM token, verify-full) and OpenSearch URL, on a node with IMDSv2 only and hop limit 1.",
        once: once(['--parallel', '8', '--postgres-ca', w.s.stack.ca.caFile], true),
      },
    ],
    close: () => w.close(),
  };
}

/** `component CODE` of every failed finding, so an INVALID row says what failed. */
function failedCodes(doc: CamundaDocument): string[] {
  return [
    ...doc.findings.filter((f) => f.status === 'fail').map((f) => f.code),
    ...doc.components.flatMap((c) =>
      [...c.findings, ...(c.report?.checks ?? []).flatMap((k) => k.findings)]
        .filter((f) => f.status === 'fail')
        .map((f) => `${c.name} ${f.code}`),
    ),
  ];
}
