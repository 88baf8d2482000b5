import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface KubeconfigPaths {
  /** --kubeconfig: only that file, and it must exist. */
  explicit: boolean;
  /** In precedence order; for KUBECONFIG, missing files are skipped when read. */
  paths: string[];
  /** Where the list came from, for messages. */
  from: '--kubeconfig' | 'KUBECONFIG' | '~/.kube/config';
}

/**
 * kubectl's precedence (client-go loader.go): --kubeconfig replaces everything; else KUBECONFIG, a
 * path list in the OS's delimiter with empty entries ignored and repeats dropped; else
 * ~/.kube/config. An empty --kubeconfig or KUBECONFIG counts as unset, as in kubectl.
 */
export function kubeconfigPaths(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): KubeconfigPaths {
  if (flag) return { explicit: true, paths: [flag], from: '--kubeconfig' };
  const list = env.KUBECONFIG;
  if (list) {
    const paths = [...new Set(list.split(delimiter).filter((p) => p !== ''))];
    return { explicit: false, paths, from: 'KUBECONFIG' };
  }
  return { explicit: false, paths: [join(env.HOME || homedir(), '.kube', 'config')], from: '~/.kube/config' };
}
