import { promises as fsp } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { readLocalFile } from '../lib/read-local-file.js';
import { registerSecret } from '../lib/redact.js';
import { KubeconfigError } from './kubeconfig-error.js';
import type { ResolvedKubeconfig } from './resolved-kubeconfig.js';

/** Where Kubernetes mounts a pod's ServiceAccount token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const IN_CLUSTER = 'in-cluster';
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_CA_BYTES = 1024 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

/** client-go's test for running in a pod: both service variables set and a token file present. */
export async function inClusterPossible(env: Env, dir: string): Promise<boolean> {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return !(await fsp.stat(join(dir, 'token'))).isDirectory();
  } catch {
    return false;
  }
}

/** The pod's namespace as kubectl finds it: POD_NAMESPACE, else the mounted namespace file. */
export async function inClusterNamespace(env: Env, dir: string): Promise<string | undefined> {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  const r = await readLocalFile(join(dir, 'namespace'), 1024);
  const ns = r.ok ? r.bytes.toString('utf8').trim() : '';
  return ns === '' ? undefined : ns;
}

/**
 * The pod's own identity, as client-go's InClusterConfig builds it: always https to
 * KUBERNETES_SERVICE_HOST:PORT, the mounted token, and the mounted CA when it can be read (kubectl
 * falls back to the system's roots otherwise). The token is read once: a run is far shorter than
 * a projected token's hour.
 */
export async function loadInCluster(
  env: Env,
  dir: string,
  namespaceFlag: string | undefined,
  skipped: string[],
): Promise<ResolvedKubeconfig> {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const tokenPath = join(dir, 'token');
  const read = await readLocalFile(tokenPath, MAX_TOKEN_BYTES);
  const token = read.ok ? read.bytes.toString('utf8').trim() : '';
  if (!read.ok || token === '') {
    throw new KubeconfigError(
      'in-cluster',
      `in a pod (KUBERNETES_SERVICE_HOST is set) but its ServiceAccount token ${tokenPath} ${read.ok ? 'is empty' : read.detail}`,
      'mount the ServiceAccount token (automountServiceAccountToken: true), or pass --kubeconfig FILE',
    );
  }
  registerSecret(token);
  const ca = await readLocalFile(join(dir, 'ca.crt'), MAX_CA_BYTES);
  const podNamespace = await inClusterNamespace(env, dir);
  const namespace = namespaceFlag
    ? { name: namespaceFlag, from: 'flag' as const }
    : podNamespace
      ? { name: podNamespace, from: 'in-cluster' as const }
      : { name: 'default', from: 'default' as const };
  return {
    source: 'in-cluster',
    files: [],
    skipped,
    context: { name: IN_CLUSTER, file: tokenPath },
    cluster: { name: IN_CLUSTER, server, file: dir },
    user: { name: IN_CLUSTER, file: tokenPath, auth: 'service-account' },
    namespace,
    clientOptions: {
      clusters: [
        {
          name: IN_CLUSTER,
          server,
          skipTLSVerify: false,
          ...(ca.ok ? { caData: ca.bytes.toString('base64') } : {}),
        },
      ],
      users: [{ name: IN_CLUSTER, token }],
      contexts: [{ name: IN_CLUSTER, cluster: IN_CLUSTER, user: IN_CLUSTER, namespace: namespace.name }],
      currentContext: IN_CLUSTER,
    },
  };
}
