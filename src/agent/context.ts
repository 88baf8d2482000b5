import type { RunDeadline } from '../lib/deadline.js';
import type { Mechanism, ReportContext } from '../report/types.js';
import type { AgentOptions } from './options.js';

/** Where Kubernetes mounts the pod's own ServiceAccount files. */
export const POD_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Everything a check reads comes from here, so a check is a function of its context.
 * `shared` memoizes facts several checks need (the STS credentials, the chain's identity) so
 * concurrent checks make each network call once.
 */
export interface AgentContext {
  env: Readonly<Record<string, string | undefined>>;
  options: AgentOptions;
  deadline: RunDeadline;
  now(): Date;
  /** Facts for the report header; checks may fill in what they learn (namespace, pod, node). */
  facts: ReportContext;
  shared<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export function detectMechanism(env: Readonly<Record<string, string | undefined>>): Mechanism {
  const irsa = Boolean(env.AWS_ROLE_ARN || env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const podIdentity = Boolean(
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI && env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
  );
  if (irsa && podIdentity) return 'both';
  if (irsa) return 'irsa';
  if (podIdentity) return 'pod-identity';
  return 'none';
}

export function createContext(
  env: Readonly<Record<string, string | undefined>>,
  options: AgentOptions,
  deadline: RunDeadline,
): AgentContext {
  const memo = new Map<string, Promise<unknown>>();
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    env,
    options,
    deadline,
    now: () => new Date(),
    facts: {
      mechanism: detectMechanism(env),
      ...(region ? { region } : {}),
      ...(env.AWS_ROLE_ARN ? { roleArn: env.AWS_ROLE_ARN.trim() } : {}),
      ...(env.HOSTNAME ? { pod: env.HOSTNAME } : {}),
    },
    shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = compute();
        memo.set(key, p);
      }
      return p;
    },
  };
}
