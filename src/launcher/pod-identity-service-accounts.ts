// run --all's second source of ServiceAccounts: those with an EKS Pod Identity association, which need no
// annotation and so are invisible to Kubernetes alone. Listed from EKS with the launcher's own AWS
// credentials, through the audit's cluster discovery and association list (loaded only for a sweep).
import type { KubeConfig } from '@kubernetes/client-node';
import type { AuditSweep } from '../audit/audit-context.js';
import type { AwsFailure } from '../audit/aws/aws-result.js';
import type { ResolvedKubeconfig } from '../kube/resolved-kubeconfig.js';
import { finding } from '../report/finding.js';
import type { Finding } from '../report/types.js';

export type PodIdentityListing =
  | { ok: true; cluster: string; serviceAccounts: ReadonlySet<string> }
  /** `why`: one clause saying what stopped the listing and what to do, for other findings to quote. */
  | { ok: false; finding: Finding; why: string };

export interface PodIdentityListingInput {
  connection: { resolved: ResolvedKubeconfig; config: KubeConfig };
  /** run --cluster; else the audit's discovery from the kubeconfig. */
  cluster?: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** run --audit's sweep, whose cluster lookup this reuses; without it one is opened and closed here. */
  sweep?: AuditSweep;
}

/**
 * `namespace/name` of every ServiceAccount with an association, or a finding that says why not. Ends at
 * once on the input's signal (Ctrl-C); the AWS calls still in flight end at their own deadlines.
 */
export async function listPodIdentityServiceAccounts(
  input: PodIdentityListingInput,
): Promise<PodIdentityListing> {
  const stopped = () => unlisted('interrupted', 'the run was interrupted');
  if (input.signal.aborted) return stopped();
  let onAbort = () => {};
  const interrupted = new Promise<PodIdentityListing>((resolve) => {
    onAbort = () => resolve(stopped());
    input.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([list(input), interrupted]);
  } finally {
    input.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * What a single run says when it cannot even ask: the kubeconfig names no EKS cluster (no
 * `--cluster-name` in its exec plugin) and its server is no EKS endpoint, so finding the cluster would
 * list and describe every cluster of the region only to find none (kind, minikube, a proxy in front).
 */
export function unknownCluster(): PodIdentityListing {
  return unlisted(
    'cluster-not-found',
    'the kubeconfig names no EKS cluster and its server is no EKS endpoint; pass --cluster NAME',
  );
}

async function list(input: PodIdentityListingInput): Promise<PodIdentityListing> {
  const { associatedServiceAccounts } = await import('../audit/pod-identity/associations.js');
  let sweep = input.sweep;
  let close: (() => Promise<void>) | undefined;
  if (!sweep) {
    const { openSweep } = await import('../audit/sweep.js');
    const { DEFAULT_AUDIT_PARALLEL } = await import('../audit/audit-options.js');
    const opened = await openSweep(
      {
        all: true,
        allNamespaces: false,
        postgres: [],
        opensearch: [],
        ...(input.cluster !== undefined ? { cluster: input.cluster } : {}),
        timeoutMs: input.timeoutMs,
        parallel: DEFAULT_AUDIT_PARALLEL,
        assume: false,
        cloudTrailHours: 0,
      },
      input.connection,
      input.signal,
    );
    if (!opened.ok)
      return unlisted('no-region', 'no AWS region (set AWS_REGION, or a region in the AWS profile)');
    sweep = opened.sweep;
    const aws = opened.sweep.aws;
    close = () => aws.close();
  }
  try {
    const r = await associatedServiceAccounts(sweep);
    if (r.ok) return { ok: true, cluster: r.cluster, serviceAccounts: r.serviceAccounts };
    if ('clusterNotFound' in r) {
      const { tried, source } = r.clusterNotFound;
      return unlisted(
        'cluster-not-found',
        `no EKS cluster matches ${source}${tried.length ? ` (tried ${tried.slice(0, 5).join(', ')}${tried.length > 5 ? ', ...' : ''})` : ''}; pass --cluster NAME`,
      );
    }
    return unlisted(
      reasonOf(r.failure),
      `${r.failure.action} failed: ${r.failure.code}: ${r.failure.message}`,
      r.failure,
    );
  } finally {
    await close?.();
  }
}

type Reason =
  | 'no-region'
  | 'cluster-not-found'
  | 'credentials'
  | 'access-denied'
  | 'unreachable'
  | 'error'
  | 'interrupted';

function reasonOf(f: AwsFailure): Reason {
  switch (f.kind) {
    case 'credentials':
    case 'access-denied':
    case 'unreachable':
      return f.kind;
    default:
      return 'error';
  }
}

function unlisted(reason: Reason, why: string, failure?: AwsFailure): PodIdentityListing {
  return {
    ok: false,
    why,
    finding: finding(
      'LAUNCH-POD-IDENTITY-UNLISTED',
      `ServiceAccounts that use only EKS Pod Identity were not listed, so only those with a role-arn annotation are checked: ${why}.`,
      {
        details: {
          reason,
          ...(failure ? { action: failure.action, code: failure.code } : {}),
        },
      },
    ),
  };
}
