import { info, pass, warn } from '../report/finding.js';
import type { Finding } from '../report/types.js';
import type { Kube } from './kube.js';
import { KubeError } from './kube-error.js';
import { CLEANUP_MS } from './run-clock.js';

/** What --keep leaves behind instead of a deletion, with the commands to inspect and delete it. */
export function kept(namespace: string, job: string): Finding {
  return info(
    'LAUNCH-KEPT',
    `Kept Job ${namespace}/${job} (--keep). Look at it with: kubectl describe job -n ${namespace} ${job}; kubectl logs -n ${namespace} job/${job}. Delete it with: kubectl delete job -n ${namespace} ${job}`,
    { job },
  );
}

/**
 * Deletes the Job under its own short deadline, deaf to the run's signal (SIGINT is why it runs)
 * and past the run's deadline. 'unsure': a create that got no answer may or may not have made the
 * Job, so 404 is no news and yields no finding.
 */
export async function deleteJob(
  base: Kube,
  namespace: string,
  job: string,
  known: 'created' | 'unsure',
): Promise<Finding | undefined> {
  const kube = base.with({ endAt: Date.now() + CLEANUP_MS });
  const byHand = `kubectl delete job -n ${namespace} ${job}`;
  try {
    await kube.deleteJob(namespace, job);
    return pass('LAUNCH-JOB-DELETED', `Deleted Job ${namespace}/${job} (propagationPolicy Background).`, {
      job,
      deleted: true,
    });
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    if (err.notFound) {
      return known === 'unsure'
        ? undefined
        : pass('LAUNCH-JOB-DELETED', `Job ${namespace}/${job} was already gone.`, { job, deleted: true });
    }
    const at = err.server ? ` at ${err.server}` : '';
    return warn(
      'LAUNCH-CLEANUP-FAILED',
      `Could not delete Job ${namespace}/${job}${known === 'unsure' ? ' (if the create reached the API server)' : ''}: the Kubernetes API${at} ${err.noAnswer ? `gave no answer (${err.message})` : `answered: ${err.message}`}. Delete it by hand: ${byHand}`,
      `${byHand} (its activeDeadlineSeconds stops the pod and ttlSecondsAfterFinished removes the Job once it has finished, if nobody does).`,
      { job, namespace, command: byHand },
    );
  }
}
