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
 * Job, so 404 is no news and yields no finding. `configMap`: the CA bundle's ConfigMap beside the Job,
 * deleted after it; it is owned by the Job, so whatever this delete leaves the garbage collector removes.
 */
export async function deleteJob(
  base: KubeClient,
  namespace: string,
  job: string,
  known: 'created' | 'unsure',
  configMap?: string,
): Promise<Finding | undefined> {
  const kube = base.with({ endAt: Date.now() + CLEANUP_MS });
  const byHand = `kubectl delete job -n ${namespace} ${job}`;
  let found: Finding | undefined;
  try {
    await kube.deleteJob(namespace, job);
    found = finding('LAUNCH-JOB-DELETED', `Deleted Job ${namespace}/${job} (propagationPolicy Background).`, {
      details: { job, deleted: true },
    });
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    if (!err.notFound) {
      const at = err.server ? ` at ${err.server}` : '';
      const owned = configMap ? ` (its ConfigMap ${configMap} goes with it)` : '';
      return finding(
        'LAUNCH-CLEANUP-FAILED',
        `Could not delete Job ${namespace}/${job}${known === 'unsure' ? ' (if the create reached the API server)' : ''}: the Kubernetes API${at} ${err.noAnswer ? `gave no answer (${err.message})` : `answered: ${err.message}`}. Delete it by hand${owned}: ${byHand}`,
        {
          fix: { namespace, job },
          details: { job, namespace, command: byHand, ...(configMap ? { configMap } : {}) },
        },
      );
    }
    if (known === 'created')
      found = finding('LAUNCH-JOB-DELETED', `Job ${namespace}/${job} was already gone.`, {
        details: { job, deleted: true },
      });
  }
  if (!configMap) return found;
  const left = await deleteConfigMap(kube, namespace, configMap);
  if (!found) return undefined;
  return {
    ...found,
    message: `${found.message} ${left ? `Its ConfigMap ${configMap} is left to the garbage collector (${left}).` : `Deleted its ConfigMap ${configMap}.`}`,
    details: { ...found.details, configMap, configMapDeleted: !left },
  };
}

/** Why the ConfigMap could not be deleted now, or undefined when it is gone. */
async function deleteConfigMap(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  try {
    await kube.deleteConfigMap(namespace, name);
    return undefined;
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    return err.notFound ? undefined : err.message;
  }
}
