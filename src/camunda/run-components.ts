import type { KubeClient } from '../kube/kube-client.js';
import { mergeAgentArgs } from '../launcher/args/merge-agent-args.js';
import type { RunOptions } from '../launcher/args/parse-run-args.js';
import { defaultPullPolicy } from '../launcher/job/image-pull-policy.js';
import { placementOf } from '../launcher/job/pod-placement.js';
import { checkWebhook } from '../launcher/preflight/check-webhook.js';
import type { Progress } from '../launcher/progress.js';
import { type RunOneInput, runOne } from '../launcher/run-one.js';
import type { Report } from '../report/types.js';
import { agentTargetArgs } from './agent-targets.js';
import type { CamundaOptions } from './camunda-args.js';
import type { DiscoveredComponent } from './discover-camunda.js';
import type { ComponentJudgement } from './judge-component.js';

export interface ComponentRun {
  readonly d: DiscoveredComponent;
  readonly j: ComponentJudgement;
}

/** Per component, the agent's beside check (its audit) for its own targets; undefined: no audit. */
export type BesideFor = (run: ComponentRun) => RunOneInput['beside'] | undefined;

/** A Job is worth creating: the component runs, as a ServiceAccount that exists, and reaches AWS with IAM. */
export function wantsAgentRun({ d, j }: ComponentRun): boolean {
  return d.running && j.serviceAccountExists && j.usesIam;
}

/**
 * The agent as each component's ServiceAccount, with that component's own Aurora and OpenSearch
 * targets (the user's flags after `--` added or replacing), on the nodes its pods run on; at most
 * --parallel Jobs at a time. Each run has its own deadline from its start (as run --all does); once
 * interrupted, no new Job starts and each started one still cleans up after itself.
 */
export async function runComponents(input: {
  kube: KubeClient;
  namespace: string;
  runs: readonly ComponentRun[];
  options: CamundaOptions;
  signal: AbortSignal;
  progress: Progress;
  besideFor?: BesideFor;
}): Promise<{ reports: Array<Report | undefined>; interrupted: boolean }> {
  const { kube, namespace, runs, options, signal, progress } = input;
  const reports: Array<Report | undefined> = runs.map(() => undefined);
  const todo = runs.flatMap((r, i) => (wantsAgentRun(r) ? [i] : []));
  if (todo.length === 0) return { reports, interrupted: false };
  progress.say(
    `Running the agent for ${todo.length} component(s) in ${namespace}, ${options.parallel} at a time`,
  );
  const webhook = await checkWebhook(
    kube.with({ signal, endAt: Date.now() + options.timeoutSeconds * 1000 }),
  );
  let interrupted = false;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !signal.aborted) {
      const i = todo[next++]!;
      const run = runs[i]!;
      const beside = input.besideFor?.(run);
      const outcome = await runOne({
        kube,
        namespace,
        serviceAccount: run.d.model.serviceAccount.value,
        options: runOptionsFor(run, options),
        webhook,
        signal,
        progress,
        ...(beside ? { beside } : {}),
      });
      interrupted ||= outcome.interrupted;
      reports[i] = outcome.report;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, todo.length) }, worker));
  return { reports, interrupted: interrupted || signal.aborted };
}

/** The launcher's options for one component: its placement, its targets, camunda's own flags. */
export function runOptionsFor({ d, j }: ComponentRun, options: CamundaOptions): RunOptions {
  const placement = placementOf(d.podSpec);
  return {
    all: false,
    allNamespaces: false,
    parallel: 1,
    image: options.image,
    imagePullPolicy: defaultPullPolicy(options.image),
    podLabels: {},
    podAnnotations: {},
    timeoutSeconds: options.timeoutSeconds,
    keep: false,
    dryRun: false,
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
    ...(placement.nodeAffinity ? { nodeAffinity: placement.nodeAffinity } : {}),
    imagePullSecrets: options.imagePullSecrets,
    agentArgs: mergeAgentArgs(agentTargetArgs(j.targets), options.agentArgs),
    // The bundle goes only where there is an Aurora login to verify.
    ...(options.postgresCa && j.targets.postgres ? { postgresCa: options.postgresCa } : {}),
    audit: false,
  };
}
