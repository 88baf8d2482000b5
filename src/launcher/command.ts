import { dumpYaml } from '@kubernetes/client-node';
import type { Command } from '../cli/command.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Io } from '../cli/io.js';
import { resolveOutput, wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { KubeClient } from '../kube/kube-client.js';
import { KubeConfigError, type LoadedConfig, loadKubeConfig } from '../kube/load-kube-config.js';
import { renderJson } from '../report/render/json.js';
import { renderRunsJson, renderRunsText, runsExitCode } from '../report/render/sweep.js';
import { renderText } from '../report/render/text.js';
import { exitCodeOf } from '../report/summary.js';
import { parseRunArgs, type RunOptions } from './args/parse-run-args.js';
import { RUN_USAGE } from './args/run-usage.js';
import { jobFor } from './job/create-job.js';
import { checkWebhook } from './preflight/check-webhook.js';
import { createProgress } from './progress.js';
import { runAll } from './run-all.js';
import { startClock } from './run-clock.js';
import { runOne } from './run-one.js';

type Sig = 'SIGINT' | 'SIGTERM';

/** `irsa-doctor run`: argv -> preflight -> Job(s) -> report(s). */
export const runCommand: Command = {
  name: 'run',
  usage: RUN_USAGE,
  async run(argv, io) {
    const options = parseRunArgs(argv);
    if (options.dryRun) return dryRun(options, io);
    const output = resolveOutput(options.output, io, ['text', 'json'] as const);
    // Started before anything touches the network: --timeout bounds the run from here (run-clock.ts).
    const clock = startClock(options.timeoutSeconds);
    const loaded = kubeConfig(options);
    const kube = new KubeClient(loaded.config);
    const namespace = options.allNamespaces ? undefined : (options.namespace ?? loaded.defaultNamespace);
    const progress = createProgress(io.stderr);
    const color = wantsColor(io.stdout, io.env);

    const { signal, caught, release } = trapSignals(io);
    try {
      if (options.all) {
        const { doc } = await runAll(kube, namespace, options, signal, progress);
        io.stdout.write(output === 'json' ? renderRunsJson(doc) : renderRunsText(doc, color));
        const sig = caught();
        return sig ? EXIT[sig] : runsExitCode(doc);
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
      });
      io.stdout.write(output === 'json' ? renderJson(outcome.report) : renderText(outcome.report, { color }));
      const sig = caught();
      return outcome.interrupted && sig ? EXIT[sig] : exitCodeOf(outcome.report.verdict);
    } finally {
      release();
    }
  },
};

/** A kubeconfig that cannot be used is a configuration error: one line, exit 2, no pointer to --help. */
function kubeConfig(options: RunOptions): LoadedConfig {
  try {
    return loadKubeConfig(options);
  } catch (e) {
    if (e instanceof KubeConfigError) throw new UsageError(e.message, '');
    throw e;
  }
}

/** Prints the Job exactly as it would be created; reads a kubeconfig only for its default namespace. */
function dryRun(options: RunOptions, io: Io): number {
  let namespace = options.namespace;
  if (namespace === undefined) {
    try {
      namespace = loadKubeConfig(options).defaultNamespace;
    } catch {
      namespace = 'default';
    }
  }
  const job = jobFor(options, namespace, options.serviceAccount!);
  io.stdout.write(options.output === 'json' ? `${JSON.stringify(job, null, 2)}\n` : dumpYaml(job));
  return EXIT.ok;
}

/**
 * The first SIGINT/SIGTERM aborts the wait so the Job is deleted before exiting; a second one
 * exits at once (the Job's TTL and deadline still bound what is left behind).
 */
function trapSignals(io: Io): { signal: AbortSignal; caught: () => Sig | undefined; release: () => void } {
  const controller = new AbortController();
  let got: Sig | undefined;
  const handler = (sig: Sig) => {
    if (got) process.exit(EXIT[sig]);
    got = sig;
    io.stderr.write(
      `irsa-doctor run: ${sig} received, stopping and deleting the Job if one exists (again to exit now)\n`,
    );
    controller.abort();
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    caught: () => got,
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
