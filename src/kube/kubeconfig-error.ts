/**
 * Why no usable Kubernetes configuration came out of the kubeconfig files (or the pod's
 * ServiceAccount). Every kind is a configuration error: the launcher exits 2 on any of them.
 */
export type KubeconfigProblemKind =
  /** --kubeconfig names a file that does not exist */
  | 'file-missing'
  /** a file exists but cannot be read (permissions, a directory, a FIFO, too large) */
  | 'file-unreadable'
  /** a file is not valid YAML, or not the shape of a kubeconfig */
  | 'file-invalid'
  /** no file sets current-context and no --context was given */
  | 'no-context'
  /** --context or current-context names a context no file defines */
  | 'context-missing'
  /** the context names a cluster or user that no file defines */
  | 'entry-missing'
  /** the chosen cluster or user cannot be used as written (kubectl refuses it too) */
  | 'unusable'
  /** no kubeconfig file and not in a pod */
  | 'not-found'
  /** in a pod, but its ServiceAccount token cannot be read */
  | 'in-cluster';

export interface KubeconfigProblem {
  kind: KubeconfigProblemKind;
  /** What is wrong and where (file and entry); never a secret. */
  message: string;
  /** The change that fixes it, when there is one to name. */
  fix?: string;
}

/** Thrown inside the loader; loadKubeconfig turns it into a value. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
  constructor(
    readonly kind: KubeconfigProblemKind,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
  get problem(): KubeconfigProblem {
    return { kind: this.kind, message: this.message, ...(this.fix ? { fix: this.fix } : {}) };
  }
}
