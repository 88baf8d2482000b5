import { dumpYaml } from '@kubernetes/client-node';
import type { Command } from '../cli/command.js';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { KubeClient } from '../kube/kube-client.js';
import { KubeConfigError, loadKubeConfig } from '../kube/load-kube-config.js';
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

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
type Sig = keyof typeof SIGNAL_EXIT;

/** `irsa-doctor run`: argv -> preflight -> Job(s) -> report(s). */
export const runCommand: Command = {
  name: 'run',
  usage: RUN_USAGE,
  run: runMain,
};

async function runMain(argv: readonly string[], io: Io): Promise<number> {
  const options: RunOptions = parseRunArgs(argv);
  if (options.dryRun) return dryRun(options, io);
  // Started before anything touches the network: --timeout bounds the run from here (run-clock.ts).
  const clock = startClock(options.timeoutSeconds);

  let loaded: ReturnType<typeof loadKubeConfig>;
  try {
    loaded = loadKubeConfig(options);
  } catch (e) {
    if (e instanceof KubeConfigError) throw new UsageError(e.message, '');
    throw e;
  }
  const kube = new KubeClient(loaded.config);
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? loaded.defaultNamespace);
  const progress = createProgress(io.stderr as NodeJS.WritableStream & { isTTY?: boolean });
  const output = options.output ?? (io.stdout.isTTY ? 'text' : 'json');
  const color = wantsColor(io.stdout, io.env);

  const { signal, caught, release } = trapSignals(io);
  try {
    if (options.all) {
      const { doc } = await runAll(kube, namespace, options, signal, progress);
      io.stdout.write(output === 'json' ? renderRunsJson(doc) : renderRunsText(doc, color));
      return caught() ? SIGNAL_EXIT[caught()!] : runsExitCode(doc);
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
    return outcome.interrupted && sig ? SIGNAL_EXIT[sig] : exitCodeOf(outcome.report.verdict);
  } finally {
    release();
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
  return 0;
}

/**
 * The first SIGINT/SIGTERM aborts the wait so the Job is deleted before exiting; a second one
 * exits at once (the Job's TTL and deadline still bound what is left behind).
 */
function trapSignals(io: Io): { signal: AbortSignal; caught: () => Sig | undefined; release: () => void } {
  const controller = new AbortController();
  let got: Sig | undefined;
  const handler = (sig: Sig) => {
    if (got) process.exit(SIGNAL_EXIT[sig]);
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
