import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeError } from '../kube/kube-error.js';
import { finding } from '../report/finding.js';
import type { RunsDocument, SweepMechanism } from '../report/render/sweep.js';
import type { Finding } from '../report/types.js';
import { apiError } from './api-error.js';
import type { RunOptions } from './args/parse-run-args.js';
import type { PodIdentityListing } from './pod-identity-service-accounts.js';
import { checkWebhook } from './preflight/check-webhook.js';
import { ROLE_ARN_ANNOTATION } from './preflight/preflight.js';
import type { Progress } from './progress.js';
import { type RunOneInput, runOne } from './run-one.js';

export interface RunAllResult {
  doc: RunsDocument;
  interrupted: boolean;
}

export interface SweepTarget {
  namespace: string;
  name: string;
  mechanism: SweepMechanism;
}

/**
 * ServiceAccounts that ask for an AWS identity, in a stable order: a role-arn annotation (IRSA), an EKS
 * Pod Identity association (`namespace/name` in `podIdentity`), or both.
 */
export function sweepTargets(
  items: V1ServiceAccount[],
  podIdentity: ReadonlySet<string> = new Set(),
): SweepTarget[] {
  return items
    .map((sa) => {
      const namespace = sa.metadata?.namespace ?? '';
      const name = sa.metadata?.name ?? '';
      const irsa = sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION] !== undefined;
      const pi = podIdentity.has(`${namespace}/${name}`);
      const mechanism: SweepMechanism | undefined =
        irsa && pi ? 'irsa+pod-identity' : irsa ? 'irsa' : pi ? 'pod-identity' : undefined;
      return mechanism ? { namespace, name, mechanism } : undefined;
    })
    .filter((t): t is SweepTarget => t !== undefined)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/**
 * `--all`: one Job per ServiceAccount with a role annotation or (when `podIdentity` can list them) an
 * EKS Pod Identity association, at most --parallel at a time.
 */
export async function runAll(
  kube: KubeClient,
  namespace: string | undefined,
  options: RunOptions,
  signal: AbortSignal,
  progress: Progress,
  beside?: RunOneInput['beside'],
  podIdentity?: () => Promise<PodIdentityListing>,
): Promise<RunAllResult> {
  const scope = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  // The sweep's own calls (list, webhook) share one --timeout; each ServiceAccount's run has its own.
  const sweepKube = kube.with({ signal, endAt: Date.now() + options.timeoutSeconds * 1000 });
  let listed: V1ServiceAccount[];
  try {
    listed = await sweepKube.listServiceAccounts(namespace);
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
    return { doc: { schemaVersion: 1, runs: [], findings: [found] }, interrupted: err.interrupted };
  }
  const sweepFindings: Finding[] = [];
  const associated = podIdentity ? await podIdentity() : undefined;
  if (associated && !associated.ok) sweepFindings.push(associated.finding);
  if (signal.aborted) {
    const found = finding(
      'LAUNCH-INTERRUPTED',
      `Interrupted while listing ServiceAccounts in ${scope}; no Job was created.`,
      {
        variant: 'sweep',
      },
    );
    return { doc: { schemaVersion: 1, runs: [], findings: [...sweepFindings, found] }, interrupted: true };
  }
  const targets = sweepTargets(listed, associated?.ok ? associated.serviceAccounts : undefined);
  if (targets.length === 0) {
    const found = finding(
      'LAUNCH-SA-NOT-ANNOTATED',
      `No ServiceAccount in ${scope} has the ${ROLE_ARN_ANNOTATION} annotation${associated?.ok ? ` or an EKS Pod Identity association in cluster ${associated.cluster}` : ''}, so --all found nothing to check.`,
      { status: 'fail', variant: 'none', fix: { namespace } },
    );
    return { doc: { schemaVersion: 1, runs: [], findings: [...sweepFindings, found] }, interrupted: false };
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
        podIdentity: t.mechanism !== 'irsa',
        ...(beside ? { beside } : {}),
      });
      interrupted ||= outcome.interrupted;
      runs[i] = {
        namespace: t.namespace,
        serviceAccount: t.name,
        mechanism: t.mechanism,
        report: outcome.report,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, targets.length) }, worker));
  return {
    doc: { schemaVersion: 1, runs, ...(sweepFindings.length ? { findings: sweepFindings } : {}) },
    interrupted,
  };
}
