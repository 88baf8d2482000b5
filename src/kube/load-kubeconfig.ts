import { resolve } from 'node:path';
import { readLocalFile } from '../lib/read-local-file.js';
import {
  inClusterNamespace,
  inClusterPossible,
  loadInCluster,
  SERVICE_ACCOUNT_DIR,
} from './in-cluster-config.js';
import { isDnsLabel } from './kube-names.js';
import { KubeconfigError, type KubeconfigProblem } from './kubeconfig-error.js';
import { kubeconfigPaths } from './kubeconfig-paths.js';
import type { KubeconfigFile } from './kubeconfig-types.js';
import { mergeKubeconfigs } from './merge-kubeconfigs.js';
import { parseKubeconfig } from './parse-kubeconfig.js';
import type { NamespaceSource, ResolvedKubeconfig } from './resolved-kubeconfig.js';
import { usableCluster } from './usable-cluster.js';
import { usableUser } from './usable-user.js';

/** Kubeconfigs with many clusters reach a few hundred KiB; far larger is not a kubeconfig. */
export const MAX_KUBECONFIG_BYTES = 8 * 1024 * 1024;

const NOT_FOUND_FIX =
  'write a kubeconfig with aws eks update-kubeconfig --name CLUSTER --region REGION, or pass --kubeconfig FILE, or set KUBECONFIG';

export interface KubeconfigRequest {
  /** --kubeconfig: only this file is read, and it must exist. */
  kubeconfig?: string;
  /** --context: replaces current-context; must exist. */
  context?: string;
  /** -n: wins over the context's namespace. */
  namespace?: string;
  /**
   * KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT, POD_NAMESPACE, IRSA_DOCTOR_SA_DIR (as for the agent:
   * where the pod's ServiceAccount is mounted, for non-standard mounts and tests); default process.env.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the pod's ServiceAccount is mounted; tests point it elsewhere. */
  serviceAccountDir?: string;
}

export type KubeconfigLoad =
  | { ok: true; config: ResolvedKubeconfig }
  | { ok: false; problem: KubeconfigProblem };

/**
 * Finds the cluster, user and namespace kubectl would use for the same flags, files and
 * environment (client-go tools/clientcmd: loader.go, merged_client_builder.go, client_config.go),
 * and refuses, with the file and the entry named, wherever kubectl would fail. Where kubectl would
 * silently fall back (to http://localhost:8080, to anonymous requests, to a username prompt), this
 * is an error instead.
 */
export async function loadKubeconfig(req: KubeconfigRequest = {}): Promise<KubeconfigLoad> {
  try {
    return { ok: true, config: await resolveKubeconfig(req) };
  } catch (e) {
    if (e instanceof KubeconfigError) return { ok: false, problem: e.problem };
    throw e;
  }
}

async function resolveKubeconfig(req: KubeconfigRequest): Promise<ResolvedKubeconfig> {
  const env = req.env ?? process.env;
  const saDir = req.serviceAccountDir ?? (env.IRSA_DOCTOR_SA_DIR || SERVICE_ACCOUNT_DIR);
  const { explicit, paths, from } = kubeconfigPaths(req.kubeconfig, env);

  const files: KubeconfigFile[] = [];
  const skipped: string[] = [];
  for (const given of paths) {
    const file = resolve(given);
    const r = await readLocalFile(file, MAX_KUBECONFIG_BYTES);
    if (!r.ok && r.errno === 'ENOENT' && !explicit) {
      skipped.push(file);
      continue;
    }
    if (!r.ok && r.errno === 'ENOENT') {
      throw new KubeconfigError('file-missing', `--kubeconfig ${file} does not exist`, NOT_FOUND_FIX);
    }
    if (!r.ok) throw new KubeconfigError('file-unreadable', `kubeconfig ${file} ${r.detail}`);
    files.push(parseKubeconfig(r.bytes.toString('utf8'), file));
  }
  const merged = mergeKubeconfigs(files);

  const contextName = req.context || merged.currentContext?.name || '';
  if (contextName === '') {
    // kubectl's "empty configuration": the pod's own ServiceAccount when in a pod.
    if (await inClusterPossible(env, saDir))
      return loadInCluster(env, saDir, req.namespace || undefined, skipped);
    if (files.length === 0) {
      const what =
        from === '~/.kube/config'
          ? `${paths[0]} does not exist and KUBECONFIG is not set`
          : paths.length === 0
            ? 'KUBECONFIG is set but names no file'
            : `KUBECONFIG lists ${skipped.join(', ')} and none of them exists`;
      throw new KubeconfigError('not-found', `no Kubernetes configuration found: ${what}`, NOT_FOUND_FIX);
    }
    const known = [...merged.contexts.keys()];
    throw new KubeconfigError(
      'no-context',
      `no current-context is set in ${fileList(files)} and no --context was given${known.length ? ` (contexts: ${known.join(', ')})` : ''}`,
      known.length ? `pass --context NAME, or kubectl config use-context NAME` : NOT_FOUND_FIX,
    );
  }

  const context = merged.contexts.get(contextName);
  if (!context) {
    const known = [...merged.contexts.keys()];
    const named = req.context
      ? `--context ${contextName}`
      : `current-context "${contextName}" (set in ${merged.currentContext?.file})`;
    throw new KubeconfigError(
      'context-missing',
      `${named} names a context that ${fileList(files)} does not define (contexts: ${known.join(', ') || 'none'})`,
      known.length ? `pass --context with one of: ${known.join(', ')}` : NOT_FOUND_FIX,
    );
  }
  const ctx = context.value;
  const ctxWhere = `context "${contextName}" (${context.at} in ${context.file})`;
  if (ctx.cluster === '') throw new KubeconfigError('entry-missing', `${ctxWhere} names no cluster`);
  const clusterEntry = merged.clusters.get(ctx.cluster);
  if (!clusterEntry) {
    throw new KubeconfigError(
      'entry-missing',
      `${ctxWhere} names cluster "${ctx.cluster}", which ${fileList(files)} does not define`,
      'run aws eks update-kubeconfig --name CLUSTER again, or point the context at a defined cluster',
    );
  }
  const userEntry = ctx.user === '' ? undefined : merged.users.get(ctx.user);
  if (ctx.user !== '' && !userEntry) {
    // kubectl would ask for a username or go anonymous; either only hides the mistake.
    throw new KubeconfigError(
      'entry-missing',
      `${ctxWhere} names user "${ctx.user}", which ${fileList(files)} does not define`,
      'run aws eks update-kubeconfig --name CLUSTER again, or point the context at a defined user',
    );
  }
  if (ctx.namespace !== '' && !isDnsLabel(ctx.namespace)) {
    throw new KubeconfigError(
      'unusable',
      `${ctxWhere} sets namespace "${ctx.namespace}", which is not a valid namespace name`,
    );
  }

  const cluster = await usableCluster(clusterEntry);
  const checked = userEntry ? await usableUser(userEntry, cluster.execInfo) : undefined;
  // kubectl checks the user either way but sends its credentials (and runs its exec plugin) only
  // over TLS: a plain-HTTP server (kubectl proxy, a local test cluster) gets anonymous requests.
  const plainHttp = cluster.client.server.startsWith('http:');
  const user = plainHttp ? undefined : checked;
  const namespace = await defaultNamespace(req.namespace, ctx.namespace, env, saDir);
  return {
    source: 'kubeconfig',
    files: files.map((f) => f.file),
    skipped,
    context: { name: contextName, file: context.file },
    cluster: { name: clusterEntry.name, server: cluster.client.server, file: clusterEntry.file },
    user: {
      name: userEntry?.name ?? '',
      file: userEntry?.file ?? '',
      auth: user?.auth ?? 'none',
      ...(plainHttp && checked && checked.auth !== 'none' ? { notSent: checked.auth } : {}),
    },
    namespace,
    ...(user?.exec ? { exec: user.exec } : {}),
    clientOptions: {
      clusters: [cluster.client],
      users: user ? [user.client] : [],
      contexts: [
        {
          name: contextName,
          cluster: clusterEntry.name,
          // client-node's Context requires a user; one it cannot find means no credentials, as intended.
          user: userEntry?.name ?? '',
          namespace: namespace.name,
        },
      ],
      currentContext: contextName,
    },
  };
}

/**
 * -n, else the context's namespace, else (kubectl's DeferredLoadingClientConfig.Namespace) the pod's
 * namespace when running in a pod, else "default".
 */
async function defaultNamespace(
  flag: string | undefined,
  fromContext: string,
  env: Readonly<Record<string, string | undefined>>,
  saDir: string,
): Promise<{ name: string; from: NamespaceSource }> {
  if (flag) return { name: flag, from: 'flag' };
  if (fromContext !== '') return { name: fromContext, from: 'context' };
  if (await inClusterPossible(env, saDir)) {
    const pod = await inClusterNamespace(env, saDir);
    if (pod) return { name: pod, from: 'in-cluster' };
  }
  return { name: 'default', from: 'default' };
}

function fileList(files: readonly KubeconfigFile[]): string {
  if (files.length === 0) return 'no kubeconfig file';
  return files.length === 1 ? (files[0]?.file ?? '') : `${files.map((f) => f.file).join(', ')}`;
}
