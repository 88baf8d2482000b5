import { roleArnCheck } from './arn/role-arn-check.js';
import { chainCheck } from './chain/chain-check.js';
import type { Check } from './check.js';
import { envCheck } from './env/env-check.js';
import { imdsCheck } from './imds/imds-check.js';
import { oidcCheck } from './oidc/oidc-check.js';
import { opensearchCheck } from './opensearch/opensearch-check.js';
import { podIdentityCheck } from './pod-identity/pod-identity-check.js';
import { postgresLoginCheck } from './postgres/postgres-login-check.js';
import { postgresReachabilityCheck } from './postgres/postgres-reachability-check.js';
import { callerIdentityCheck } from './sts/caller-identity-check.js';
import { stsCheck } from './sts/sts-check.js';
import { tokenClaimsCheck } from './token/token-claims-check.js';
import { tokenFileCheck } from './token/token-file-check.js';

/**
 * Every check of the agent, in the order the report lists them: what the pod can tell without asking
 * AWS (env, role ARN, token, issuer), then what AWS says (STS, caller identity, the SDK chain, IMDS,
 * Pod Identity), then the data stores (Aurora PostgreSQL, OpenSearch). They run concurrently.
 */
export const ALL_CHECKS: readonly Check[] = [
  envCheck,
  roleArnCheck,
  tokenFileCheck,
  tokenClaimsCheck,
  oidcCheck,
  stsCheck,
  callerIdentityCheck,
  chainCheck,
  imdsCheck,
  podIdentityCheck,
  postgresReachabilityCheck,
  postgresLoginCheck,
  opensearchCheck,
];

export function selectChecks(only: readonly string[]): { checks: Check[]; unknown: string[] } {
  if (only.length === 0) return { checks: [...ALL_CHECKS], unknown: [] };
  const ids = new Set(ALL_CHECKS.map((c) => c.id));
  return {
    checks: ALL_CHECKS.filter((c) => only.includes(c.id)),
    unknown: only.filter((id) => !ids.has(id)),
  };
}
