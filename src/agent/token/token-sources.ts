import type { AgentContext } from '../context.js';
import { irsaToken, podIdentityToken, type TokenLoad } from './token-files.js';

/** A token the pod presents: the IRSA web identity token or the Pod Identity token. */
export interface TokenSource {
  mechanism: 'irsa' | 'pod-identity';
  envVar: 'AWS_WEB_IDENTITY_TOKEN_FILE' | 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
  /** where the webhook mounts it */
  mountDir: string;
  volume: string;
  audience: string;
  load(ctx: AgentContext): Promise<TokenLoad>;
}

export const TOKEN_SOURCES: readonly TokenSource[] = [
  {
    mechanism: 'irsa',
    envVar: 'AWS_WEB_IDENTITY_TOKEN_FILE',
    mountDir: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    volume: 'aws-iam-token',
    audience: 'sts.amazonaws.com',
    load: irsaToken,
  },
  {
    mechanism: 'pod-identity',
    envVar: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    mountDir: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount',
    volume: 'eks-pod-identity-token',
    audience: 'pods.eks.amazonaws.com',
    load: podIdentityToken,
  },
];

/** The sources whose variable is set in this pod. */
export function presentTokenSources(ctx: AgentContext): TokenSource[] {
  return TOKEN_SOURCES.filter((s) => Boolean(ctx.env[s.envVar]));
}
