import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import type { RunOptions } from '../args/parse-run-args.js';
import { buildJob, type JobManifest, POSTGRES_CA_FILE, randomSuffix } from './job-manifest.js';

/** What the run's flags say about the Job, the same for every ServiceAccount. */
export type JobSettings = Pick<
  RunOptions,
  | 'image'
  | 'timeoutSeconds'
  | 'agentArgs'
  | 'nodeSelector'
  | 'tolerations'
  | 'nodeAffinity'
  | 'imagePullSecrets'
  | 'imagePullPolicy'
  | 'podLabels'
  | 'podAnnotations'
  | 'priorityClass'
  | 'postgresCa'
>;

/** The Job as sent, and the uid the API server gave it (what owner references of its objects name). */
export type Created = { job: JobManifest; uid?: string } | { failed: { err: KubeError; name: string } };

/** Creates the Job; a failure keeps the name it tried, since a create that got no answer may need deleting. */
export async function createJob(
  kube: KubeClient,
  options: JobSettings,
  namespace: string,
  serviceAccount: string,
): Promise<Created> {
  // A name clash is a 1 in 14 million chance per try; one retry makes it moot.
  for (let attempt = 0; ; attempt++) {
    const manifest = jobFor(options, namespace, serviceAccount);
    try {
      const stored = await kube.createJob(manifest);
      const uid = stored.metadata?.uid;
      return { job: manifest, ...(uid ? { uid } : {}) };
    } catch (e) {
      const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
      // Only the API server's own Conflict: a 409 page from something in front of it is no name clash.
      if (err.status === 409 && !err.notKubernetes && attempt === 0) continue;
      return { failed: { err, name: manifest.metadata.name } };
    }
  }
}

/** The Job for one ServiceAccount from the run's flags, with a fresh random name suffix. */
export function jobFor(options: JobSettings, namespace: string, serviceAccount: string): JobManifest {
  return buildJob({
    namespace,
    serviceAccount,
    image: options.image,
    timeoutSeconds: options.timeoutSeconds,
    suffix: randomSuffix((n) => randomBytes(n)),
    agentArgs: options.agentArgs,
    nodeSelector: options.nodeSelector,
    tolerations: options.tolerations,
    ...(options.nodeAffinity ? { nodeAffinity: options.nodeAffinity } : {}),
    imagePullSecrets: options.imagePullSecrets,
    imagePullPolicy: options.imagePullPolicy,
    podLabels: options.podLabels,
    podAnnotations: options.podAnnotations,
    ...(options.priorityClass ? { priorityClassName: options.priorityClass } : {}),
    ...(options.postgresCa
      ? {
          postgresCa:
            options.postgresCa.kind === 'file'
              ? { key: POSTGRES_CA_FILE }
              : { configMap: options.postgresCa.name, key: options.postgresCa.key },
        }
      : {}),
  });
}
