import type { Cluster, Context, User } from '@kubernetes/client-node';
import type { ExecPlugin } from './exec-credential.js';

/** How the chosen user proves who it is (what kubectl would send). */
export type UserAuth =
  | 'token'
  | 'token-file'
  | 'client-certificate'
  | 'basic'
  | 'exec'
  | 'service-account'
  /** the context names no user: requests are anonymous */
  | 'none';

/** Where the default namespace came from: -n, the context, the pod (kubectl's in-cluster rule), or "default". */
export type NamespaceSource = 'flag' | 'context' | 'in-cluster' | 'default';

/** What KubeConfig.loadFromOptions takes: only the chosen context, its cluster and its user. */
export interface ClientOptions {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

/** The configuration kubectl would use for the same files, flags and environment. */
export interface ResolvedKubeconfig {
  source: 'kubeconfig' | 'in-cluster';
  /** The kubeconfig files read, in precedence order (absolute paths). */
  files: string[];
  /** Files listed in KUBECONFIG that do not exist: skipped, as kubectl skips them. */
  skipped: string[];
  context: { name: string; file: string };
  cluster: { name: string; server: string; file: string };
  /**
   * name and file are '' when the context names no user. `notSent`: the credentials the user has
   * but that are not sent, because the server is plain http:// (kubectl sends none there either).
   */
  user: { name: string; file: string; auth: UserAuth; notSent?: UserAuth };
  namespace: { name: string; from: NamespaceSource };
  /** The plugin to run for credentials when auth is 'exec' (see kube-client-config.ts). */
  exec?: ExecPlugin;
  /**
   * For KubeConfig.loadFromOptions. Files are already read into *Data fields; the user never carries
   * `exec` (client-node would run the plugin itself, unbounded): kubeClientConfig wires it instead.
   * Holds secrets: never print it.
   */
  clientOptions: ClientOptions;
}
