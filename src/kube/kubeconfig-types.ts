// The kubeconfig as kubectl sees it after decoding one file: entries by name, each knowing its file.
// Field names follow the file format (client-go's clientcmd/api/v1), so messages can quote them.

/** An `exec` credential plugin as a kubeconfig user declares it (client.authentication.k8s.io). */
export interface ExecConfig {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  /** '' when the file says nothing; kubectl defaults v1beta1 to IfAvailable and requires it for v1. */
  interactiveMode: string;
  provideClusterInfo: boolean;
  installHint: string;
}

export interface ClusterEntry {
  server: string;
  'tls-server-name': string;
  'insecure-skip-tls-verify': boolean;
  /** Absolute once loaded: relative paths resolve against the file's directory. */
  'certificate-authority': string;
  /** Base64, as in the file. */
  'certificate-authority-data': string;
  'proxy-url': string;
  'disable-compression': boolean;
  /** The `client.authentication.k8s.io/exec` extension: handed to exec plugins as spec.cluster.config. */
  execExtension?: unknown;
}

export interface UserEntry {
  'client-certificate': string;
  'client-certificate-data': string;
  'client-key': string;
  'client-key-data': string;
  token: string;
  tokenFile: string;
  as: string;
  'as-uid': string;
  'as-groups': string[];
  'as-user-extra': Record<string, string[]>;
  username: string;
  password: string;
  'auth-provider'?: { name: string; config: Record<string, string> };
  exec?: ExecConfig;
}

export interface ContextEntry {
  cluster: string;
  user: string;
  namespace: string;
}

/** An entry with where it was defined, for messages ("users[2] in /home/me/.kube/config"). */
export interface Located<T> {
  name: string;
  value: T;
  file: string;
  /** e.g. `users[2]` */
  at: string;
}

/** One decoded kubeconfig file. */
export interface KubeconfigFile {
  file: string;
  clusters: Map<string, Located<ClusterEntry>>;
  users: Map<string, Located<UserEntry>>;
  contexts: Map<string, Located<ContextEntry>>;
  /** '' when unset */
  currentContext: string;
}
