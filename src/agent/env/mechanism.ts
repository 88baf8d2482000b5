import type { Mechanism } from '../../report/types.js';
import type { AgentContext } from '../context.js';

export const IRSA_VARS = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;
export const POD_IDENTITY_VARS = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

/** Which variables of each mechanism this container has (non-empty). */
export function injectedVars(env: AgentContext['env']) {
  const set = (k: string) => env[k] !== undefined && env[k] !== '';
  const irsa = IRSA_VARS.filter(set);
  const podIdentity = POD_IDENTITY_VARS.filter(set);
  return {
    irsa,
    podIdentity,
    irsaFull: irsa.length === IRSA_VARS.length,
    podIdentityFull: podIdentity.length === POD_IDENTITY_VARS.length,
  };
}

/**
 * How the pod is set up to get AWS credentials, the one rule every check and the report header use:
 * a complete pair is that mechanism (both pairs: 'both'); half of IRSA alone still says the pod meant
 * IRSA; nothing, or half of Pod Identity alone, is 'none'.
 */
export function mechanismOf(env: AgentContext['env']): Mechanism {
  const v = injectedVars(env);
  if (v.irsaFull && v.podIdentityFull) return 'both';
  if (v.irsaFull) return 'irsa';
  if (v.podIdentityFull) return 'pod-identity';
  return v.irsa.length > 0 ? 'irsa' : 'none';
}
