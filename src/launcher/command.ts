import { dumpYaml, type KubeConfig } from '@kubernetes/client-node';
import type { AuditBesideRun } from '../audit/beside-run.js';
import { clusterHintsOfExec, regionOfEksServer } from '../audit/cluster/kubeconfig-hints.js';
import { agentTargetArgs } from '../camunda/agent-targets.js';
import type { Command } from '../cli/command.js';
import { connectCommand, fixLine } from '../cli/connect-command.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Io } from '../cli/io.js';
import { createProgress } from '../cli/progress.js';
import { renderOptions, reportOptions } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { KubeClient } from '../kube/kube-client.js';
import type { KubeconfigProblem } from '../kube/kubeconfig-error.js';
import { loadKubeconfig } from '../kube/load-kubeconfig.js';
import type { ResolvedKubeconfig } from '../kube/resolved-kubeconfig.js';
import { ignoreFindings } from '../report/ignore-findings.js';
import { renderReport, renderSet } from '../report/render/render-report.js';
import { renderRunsJson } from '../report/render/sweep.js';
import { setOfRuns } from '../report/report-set.js';
import { ignoreInRuns } from '../report/runs-document.js';
import { exitCodeOf } from '../report/summary.js';
import { agentOptionsOf } from './args/check-agent-args.js';
import { mergeAgentArgs } from './args/merge-agent-args.js';
import { parseRunArgs, type RunOptions } from './args/parse-run-args.js';
import { RUN_USAGE } from './args/run-usage.js';
import { jobFor } from './job/create-job.js';
import { caConfigMap, readCaBundle } from './job/postgres-ca.js';
import { listPodIdentityServiceAccounts, unknownCluster } from './pod-identity-service-accounts.js';
import { checkWebhook } from './preflight/check-webhook.js';
import { launcherProgress } from './progress.js';
import { runAll } from './run-all.js';
import { type RunClock, startClock } from './run-clock.js';
import { runOne } from './run-one.js';
import { trapSignals } from './trap-signals.js';
import { type ResolvedWorkload, resolveWorkload } from './workload/resolve-workload.js';
import { workloadRefText } from './workload/workload-ref.js';

/** `irsa-doctor run`: argv -> preflight -> Job(s) -> report(s). */
export const runCommand: Command = {
  name: 'run',
  usage: RUN_USAGE,
  async run(argv, io) {
    let options = await withCaBundle(parseRunArgs(argv, io.env));
    if (options.dryRun) return dryRun(options, io);
    const how = reportOptions(options.report ?? {}, io);
    // Started before anything touches the network: --timeout bounds the run from here (run-clock.ts).
    const clock = startClock(options.timeoutSeconds);
    // Trapped before the exec plugin runs: Ctrl-C during `aws eks get-token` must stop it too.
    const { signal, caught, release } = trapSignals(io, 'run');
    let audit: AuditBesideRun | undefined;
    try {
      const connected = await connectCommand(
        'run',
        {
          kubeconfig: options.kubeconfig,
          context: options.context,
          namespace: options.namespace,
          env: io.env,
          signal,
          execEndAt: clock.preflightEnd,
        },
        io,
        caught,
      );
      if ('exit' in connected) return connected.exit;
      const { connection } = connected;
      const { resolved } = connection;
      const kube = new KubeClient(connection.config);
      const progress = launcherProgress(createProgress(io.stderr, io.env));
      const ref = options.workload;
      if (ref) {
        const w = await resolveWorkload(
          kube.with({ signal, endAt: clock.preflightEnd }),
          resolved.namespace.name,
          ref,
          options.container,
        );
        if (!w.ok) {
          const sig = caught();
          if (w.interrupted && sig) return EXIT[sig];
          throw new UsageError(w.message, fixLine(w.fix));
        }
        options = withWorkload(options, w);
        if (options.postgresCa !== undefined && !options.agentArgs.some((a) => /^--postgres(=|$)/.test(a)))
          throw new UsageError(
            `${workloadRefText(ref)} names no Aurora/RDS endpoint, so a CA bundle (--postgres-ca / --postgres-ca-configmap) has nothing to verify: add --postgres HOST after "--"`,
          );
        progress.say(
          `${workloadRefText(ref)} runs as ${w.serviceAccount}${w.container ? `; container ${w.container} read` : ''}; agent flags: ${options.agentArgs.join(' ') || '(none)'}`,
        );
        for (const note of w.notes) progress.say(`  not read: ${note}`);
      }
      if (options.audit) audit = await openAudit(options, connection, clock, signal);
      const namespace = options.allNamespaces ? undefined : resolved.namespace.name;
      // EKS Pod Identity associations come from AWS, with the launcher's own credentials: for a sweep,
      // to find the ServiceAccounts that need no annotation; for one ServiceAccount without an
      // annotation, to tell Pod Identity from a missing annotation before anything runs.
      const podIdentity = (timeoutMs: number) => () =>
        listPodIdentityServiceAccounts({
          connection,
          ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
          timeoutMs,
          signal,
          ...(audit ? { sweep: audit.sweep } : {}),
        });
      if (options.all) {
        const swept = await runAll(
          kube,
          namespace,
          options,
          signal,
          progress,
          audit?.auditOf,
          podIdentity(options.timeoutSeconds * 1000),
        );
        progress.end();
        const doc = ignoreInRuns(swept.doc, how.ignore);
        io.stdout.write(
          how.format === 'json'
            ? renderRunsJson(doc)
            : renderSet(how.format, setOfRuns(doc), renderOptions(io, how)),
        );
        const sig = caught();
        return sig ? EXIT[sig] : exitCodeOf(doc.verdict, how.failOn);
      }
      const webhook = await checkWebhook(kube.with({ signal, endAt: clock.preflightEnd }));
      const outcome = await runOne({
        clock,
        kube,
        namespace: namespace!,
        serviceAccount: options.serviceAccount!,
        options,
        webhook,
        signal,
        progress,
        // Within the run's preflight time, and never long: the answer only words a warning.
        podIdentity: eksClusterKnowable(options, resolved)
          ? podIdentity(Math.max(1, Math.min(SINGLE_RUN_LOOKUP_MS, clock.preflightEnd - Date.now())))
          : async () => unknownCluster(),
        ...(audit ? { beside: audit.auditOf } : {}),
      });
      progress.end();
      const report = ignoreFindings(outcome.report, how.ignore);
      io.stdout.write(renderReport(how.format, report, renderOptions(io, how)));
      const sig = caught();
      return outcome.interrupted && sig ? EXIT[sig] : exitCodeOf(report.verdict, how.failOn);
    } finally {
      release();
      await audit?.close();
    }
  },
};

/** How long a single run may spend asking EKS about a Pod Identity association (see preflight.ts). */
const SINGLE_RUN_LOOKUP_MS = 10_000;

/**
 * Whether the EKS cluster can be named without listing the region's clusters: --cluster, the exec
 * plugin's `--cluster-name`, or an API server that is an EKS endpoint (the sweep's discovery, audit's).
 */
function eksClusterKnowable(options: RunOptions, resolved: ResolvedKubeconfig): boolean {
  return (
    options.cluster !== undefined ||
    clusterHintsOfExec(resolved.exec?.args).cluster !== undefined ||
    regionOfEksServer(resolved.cluster.server) !== undefined
  );
}

/**
 * run --audit: the audit's code and AWS clients load only when asked for. It reads until the Job's
 * deadline at the latest; the agent's own targets (after `--`) are the ones it judges.
 */
async function openAudit(
  options: RunOptions,
  connection: { resolved: ResolvedKubeconfig; config: KubeConfig },
  clock: RunClock,
  signal: AbortSignal,
): Promise<AuditBesideRun> {
  const { openAuditBesideRun } = await import('../audit/beside-run.js');
  const agent = agentOptionsOf(options.agentArgs);
  const opened = await openAuditBesideRun({
    connection,
    targets: {
      postgres: agent.postgres,
      opensearch: agent.opensearch,
      ...(agent.postgresUser !== undefined ? { postgresUser: agent.postgresUser } : {}),
      ...(agent.region !== undefined ? { region: agent.region } : {}),
    },
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    timeoutMs: Math.max(1000, clock.runEnd - Date.now()),
    signal,
  });
  if (!opened.ok) throw new UsageError(opened.message);
  return opened.audit;
}

/**
 * The workload's ServiceAccount, nodes and endpoints, under the user's own flags: --node-selector
 * entries win over the workload's, --toleration entries are added, and agent flags after `--`
 * replace the discovered flag of the same name.
 */
function withWorkload(options: RunOptions, w: Extract<ResolvedWorkload, { ok: true }>): RunOptions {
  return {
    ...options,
    serviceAccount: w.serviceAccount,
    nodeSelector: { ...w.placement.nodeSelector, ...options.nodeSelector },
    tolerations: [...w.placement.tolerations, ...options.tolerations],
    ...(w.placement.nodeAffinity ? { nodeAffinity: w.placement.nodeAffinity } : {}),
    agentArgs: mergeAgentArgs(agentTargetArgs(w.targets), options.agentArgs),
  };
}

/** run --postgres-ca FILE is read before anything is sent: a file that cannot be used is a usage error. */
async function withCaBundle(options: RunOptions): Promise<RunOptions> {
  const ca = options.postgresCa;
  if (ca?.kind !== 'file') return options;
  const read = await readCaBundle(ca.file);
  if (!read.ok) throw new UsageError(read.problem);
  return { ...options, postgresCa: { ...ca, pem: read.pem } };
}

function configError(problem: KubeconfigProblem, extraFix?: string): UsageError {
  const fix = [problem.fix, extraFix].filter(Boolean).join('; or ');
  return new UsageError(problem.message, fixLine(fix));
}

/**
 * Prints the Job exactly as it would be created, sending nothing. Without -n the namespace comes
 * from the kubeconfig (not its exec plugin: no credential is needed); a kubeconfig that cannot be
 * loaded is an error, never a silent "default".
 */
async function dryRun(options: RunOptions, io: Io): Promise<number> {
  let namespace = options.namespace;
  if (namespace === undefined) {
    const loaded = await loadKubeconfig({
      ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context !== undefined ? { context: options.context } : {}),
      env: io.env,
    });
    if (!loaded.ok)
      throw configError(loaded.problem, 'pass -n NAMESPACE, which --dry-run then needs no kubeconfig for');
    namespace = loaded.config.namespace.name;
  }
  const job = jobFor(options, namespace, options.serviceAccount!);
  // With a CA bundle to carry there are two objects; a List is what kubectl apply -f takes for that.
  const ca = options.postgresCa;
  const printed =
    ca?.kind === 'file' && ca.pem !== undefined
      ? { apiVersion: 'v1', kind: 'List', items: [caConfigMap(job, ca.pem), job] }
      : job;
  io.stdout.write(options.output === 'json' ? `${JSON.stringify(printed, null, 2)}\n` : dumpYaml(printed));
  return EXIT.ok;
}
