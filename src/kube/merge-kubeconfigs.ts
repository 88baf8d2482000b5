import type { ClusterEntry, ContextEntry, KubeconfigFile, Located, UserEntry } from './kubeconfig-types.js';

export interface MergedKubeconfig {
  clusters: Map<string, Located<ClusterEntry>>;
  users: Map<string, Located<UserEntry>>;
  contexts: Map<string, Located<ContextEntry>>;
  /** The first non-empty current-context and the file that set it. */
  currentContext?: { name: string; file: string };
}

/**
 * kubectl's merge of several files: for each cluster, user and context name the first file that
 * defines it wins, whole (nothing of a later file's entry of the same name is kept), and the first
 * file that sets current-context wins. A name in two files is therefore never an error.
 */
export function mergeKubeconfigs(files: readonly KubeconfigFile[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    firstWins(merged.clusters, f.clusters);
    firstWins(merged.users, f.users);
    firstWins(merged.contexts, f.contexts);
    if (!merged.currentContext && f.currentContext !== '') {
      merged.currentContext = { name: f.currentContext, file: f.file };
    }
  }
  return merged;
}

function firstWins<T>(into: Map<string, T>, from: Map<string, T>): void {
  for (const [name, entry] of from) if (!into.has(name)) into.set(name, entry);
}
