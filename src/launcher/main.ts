import { dumpYaml } from '@kubernetes/client-node';
import type { Io } from '../agent/main.js';
import { renderJson } from '../report/render-json.js';
import { renderText, wantsColor } from '../report/render-text.js';
import { exitCodeOf } from '../report/summary.js';
import { jobFor } from './create-job.js';
import { Kube } from './kube.js';
import { KubeConfigError, loadKubeConfig } from './load-kube-config.js';
import { parseRunArgs, type RunOptions } from './parse-run-args.js';
import { checkWebhook } from './preflight.js';
import { createProgress } from './progress.js';
import { renderRunsJson, renderRunsText, runsExitCode } from './render-runs.js';
import { runAll } from './run-all.js';
import { startClock } from './run-clock.js';
import { runOne } from './run-one.js';
import { RunUsageError } from './run-usage-error.js';
import { RUN_USAGE } from './usage.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
type Sig = keyof typeof SIGNAL_EXIT;

/** `irsa-doctor run`: argv -> preflight -> Job(s) -> report(s). Returns the exit code. */
export async function runMain(argv: readonly string[], io: Io): Promise<number> {
  let options: RunOptions;
  try {
    options = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof RunUsageError) {
      io.stderr.write(`irsa-doctor run: ${e.message}\nRun 'irsa-doctor run --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    io.stdout.write(RUN_USAGE);
    return 0;
  }
  if (options.dryRun) return dryRun(options, io);
  // Started before anything touches the network: --timeout bounds the run from here (run-clock.ts).
  const clock = startClock(options.timeoutSeconds);

  let loaded: ReturnType<typeof loadKubeConfig>;
  try {
    loaded = loadKubeConfig(options);
  } catch (e) {
    if (e instanceof KubeConfigError) {
      io.stderr.write(`irsa-doctor run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const kube = new Kube(loaded.config);
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
