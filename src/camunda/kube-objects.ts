/**
 * The few fields of Kubernetes API objects Camunda discovery reads, as plain JSON the API returns.
 * Everything is optional because the input comes from a cluster we do not control: a missing field
 * is a fact to report, never a crash.
 */

export interface ObjectMetaLike {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Secret as the API returns it: `data` values are base64. */
export interface SecretLike {
  readonly metadata?: ObjectMetaLike;
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

export interface ConfigMapLike {
  readonly metadata?: ObjectMetaLike;
  readonly data?: Readonly<Record<string, string>>;
}

export interface ServiceAccountLike {
  readonly metadata?: ObjectMetaLike;
}

export interface EnvVarLike {
  readonly name?: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly configMapKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
    readonly secretKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
    readonly fieldRef?: { readonly fieldPath?: string };
    readonly resourceFieldRef?: { readonly resource?: string };
  };
}

export interface EnvFromSourceLike {
  readonly prefix?: string;
  readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
}

export interface VolumeMountLike {
  readonly name?: string;
  readonly mountPath?: string;
  readonly subPath?: string;
}

export interface ContainerLike {
  readonly name?: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVarLike[];
  readonly envFrom?: readonly EnvFromSourceLike[];
  readonly volumeMounts?: readonly VolumeMountLike[];
}

export interface VolumeLike {
  readonly name?: string;
  readonly configMap?: {
    readonly name?: string;
    readonly items?: readonly { readonly key?: string; readonly path?: string }[];
    readonly optional?: boolean;
  };
  readonly projected?: {
    readonly sources?: readonly {
      readonly configMap?: {
        readonly name?: string;
        readonly items?: readonly { readonly key?: string; readonly path?: string }[];
      };
    }[];
  };
}

export interface PodSpecLike {
  readonly serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName that the API still fills in. */
  readonly serviceAccount?: string;
  readonly containers?: readonly ContainerLike[];
  readonly initContainers?: readonly ContainerLike[];
  readonly volumes?: readonly VolumeLike[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly TolerationLike[];
  readonly affinity?: {
    readonly nodeAffinity?: unknown;
    readonly podAffinity?: unknown;
    readonly podAntiAffinity?: unknown;
  };
}

export interface TolerationLike {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** A Deployment or StatefulSet (apps/v1). */
export interface WorkloadLike {
  readonly kind?: string;
  readonly metadata?: ObjectMetaLike;
  readonly spec?: {
    readonly template?: { readonly metadata?: ObjectMetaLike; readonly spec?: PodSpecLike };
  };
}
