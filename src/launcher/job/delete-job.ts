import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { CLEANUP_MS } from '../run-clock.js';

/** What --keep leaves behind instead of a deletion, with the commands to inspect and delete it. */
export function kept(namespace: string, job: string): Finding {
  return finding(
    'LAUNCH-KEPT',
    `Kept Job ${namespace}/${job} (--keep); it stays until you run: kubectl delete job -n ${namespace} ${job}`,
    {
      fix: { namespace, job },
      details: { job },
    },
  );
}

/**
 * Deletes the Job under its own short deadline, deaf to the run's signal (SIGINT is why it runs)
 * and past the run's deadline. 'unsure': a create that got no answer may or may not have made the
 * Job, so 404 is no news and yields no finding.
 */
export async function deleteJob(
  base: KubeClient,
  namespace: string,
  job: string,
  known: 'created' | 'unsure',
): Promise<Finding | undefined> {
  const kube = base.with({ endAt: Date.now() + CLEANUP_MS });
  const byHand = `kubectl delete job -n ${namespace} ${job}`;
  try {
    await kube.deleteJob(namespace, job);
    return finding('LAUNCH-JOB-DELETED', `Deleted Job ${namespace}/${job} (propagationPolicy Background).`, {
      details: { job, deleted: true },
    });
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    if (err.notFound) {
      return known === 'unsure'
        ? undefined
        : finding('LAUNCH-JOB-DELETED', `Job ${namespace}/${job} was already gone.`, {
            details: { job, deleted: true },
          });
    }
    const at = err.server ? ` at ${err.server}` : '';
    return finding(
      'LAUNCH-CLEANUP-FAILED',
      `Could not delete Job ${namespace}/${job}${known === 'unsure' ? ' (if the create reached the API server)' : ''}: the Kubernetes API${at} ${err.noAnswer ? `gave no answer (${err.message})` : `answered: ${err.message}`}. Delete it by hand: ${byHand}`,
      { fix: { namespace, job }, details: { job, namespace, command: byHand } },
    );
  }
}
