import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeError } from '../kube/kube-error.js';
import { finding } from '../report/finding.js';
import { type RunsDocument, runsDocument } from '../report/runs-document.js';
import { apiError } from './api-error.js';
import type { RunOptions } from './args/parse-run-args.js';
import { checkWebhook } from './preflight/check-webhook.js';
import { ROLE_ARN_ANNOTATION } from './preflight/preflight.js';
import type { Progress } from './progress.js';
import { type RunOneInput, runOne } from './run-one.js';

export interface RunAllResult {
  doc: RunsDocument;
  interrupted: boolean;
}

/** ServiceAccounts that ask for IRSA, in a stable order. */
export function annotatedServiceAccounts(
  items: V1ServiceAccount[],
): Array<{ namespace: string; name: string }> {
  return items
    .filter((sa) => sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION] !== undefined)
    .map((sa) => ({ namespace: sa.metadata?.namespace ?? '', name: sa.metadata?.name ?? '' }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** `--all`: one Job per annotated ServiceAccount, at most --parallel at a time. */
export async function runAll(
  kube: KubeClient,
  namespace: string | undefined,
  options: RunOptions,
  signal: AbortSignal,
  progress: Progress,
  beside?: RunOneInput['beside'],
): Promise<RunAllResult> {
  const scope = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  // The sweep's own calls (list, webhook) share one --timeout; each ServiceAccount's run has its own.
  const sweepKube = kube.with({ signal, endAt: Date.now() + options.timeoutSeconds * 1000 });
  let targets: Array<{ namespace: string; name: string }>;
  try {
    targets = annotatedServiceAccounts(await sweepKube.listServiceAccounts(namespace));
  } catch (e) {
    const err = e as KubeError;
    const found = err.interrupted
      ? finding(
          'LAUNCH-INTERRUPTED',
          `Interrupted while listing ServiceAccounts in ${scope}; no Job was created.`,
          {
            variant: 'sweep',
          },
        )
      : apiError(err, `listing ServiceAccounts in ${scope}`, namespace);
    return { doc: runsDocument([], [found]), interrupted: err.interrupted };
  }
  if (targets.length === 0) {
    const found = finding(
      'LAUNCH-SA-NOT-ANNOTATED',
      `No ServiceAccount in ${scope} has the ${ROLE_ARN_ANNOTATION} annotation, so --all found nothing to check.`,
      { status: 'fail', variant: 'none', fix: { namespace } },
    );
    return { doc: runsDocument([], [found]), interrupted: false };
  }
  progress.say(`Checking ${targets.length} ServiceAccount(s) in ${scope}, ${options.parallel} at a time`);
  const webhook = await checkWebhook(sweepKube);
  const runs: RunsDocument['runs'] = new Array(targets.length);
  let interrupted = false;
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i]!;
      // Once interrupted, no new Job starts; each started one still cleans up after itself.
      const outcome = await runOne({
        kube,
        namespace: t.namespace,
        serviceAccount: t.name,
        options,
        webhook,
        signal,
        progress,
        ...(beside ? { beside } : {}),
      });
      interrupted ||= outcome.interrupted;
      runs[i] = { namespace: t.namespace, serviceAccount: t.name, report: outcome.report };
      progress.say(`${t.namespace}/${t.name}: ${outcome.report.verdict.toUpperCase()}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, targets.length) }, worker));
  return { doc: runsDocument(runs), interrupted };
}
