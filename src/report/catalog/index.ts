import { ARN_CODES } from './arn.js';
import { CHAIN_CODES } from './chain.js';
import type { CodeSpec } from './define.js';
import { ENV_CODES } from './env.js';
import { IDENTITY_CODES } from './identity.js';
import { IMDS_CODES } from './imds.js';
import { LAUNCHER_CODES } from './launcher.js';
import { NET_CODES } from './net.js';
import { OIDC_CODES } from './oidc.js';
import { OPENSEARCH_CODES } from './opensearch.js';
import { POD_IDENTITY_CODES } from './pod-identity.js';
import { POSTGRES_CODES } from './postgres.js';
import { STS_CODES } from './sts.js';
import { TOKEN_CODES } from './token.js';

/** The catalog, one topic after another in the order docs/codes.md lists them. */
export const CATALOG_SECTIONS = [
  { topic: 'Mechanism and environment', codes: ENV_CODES },
  { topic: 'Role ARN', codes: ARN_CODES },
  { topic: 'Token file and claims', codes: TOKEN_CODES },
  { topic: 'OIDC issuer', codes: OIDC_CODES },
  { topic: 'STS AssumeRoleWithWebIdentity', codes: STS_CODES },
  { topic: 'Caller identity', codes: IDENTITY_CODES },
  { topic: 'Default credential chain', codes: CHAIN_CODES },
  { topic: 'Instance metadata (IMDS)', codes: IMDS_CODES },
  { topic: 'EKS Pod Identity', codes: POD_IDENTITY_CODES },
  { topic: 'Network reachability', codes: NET_CODES },
  { topic: 'Aurora / RDS PostgreSQL', codes: POSTGRES_CODES },
  { topic: 'Amazon OpenSearch', codes: OPENSEARCH_CODES },
  { topic: 'Launcher', codes: LAUNCHER_CODES },
] as const;

/** Every finding code there is: the type findings are made from. */
export const CATALOG = {
  ...ENV_CODES,
  ...ARN_CODES,
  ...TOKEN_CODES,
  ...OIDC_CODES,
  ...STS_CODES,
  ...IDENTITY_CODES,
  ...CHAIN_CODES,
  ...IMDS_CODES,
  ...POD_IDENTITY_CODES,
  ...NET_CODES,
  ...POSTGRES_CODES,
  ...OPENSEARCH_CODES,
  ...LAUNCHER_CODES,
};

export type Code = keyof typeof CATALOG;

export function specOf(code: string): CodeSpec | undefined {
  return Object.hasOwn(CATALOG, code) ? (CATALOG as Record<string, CodeSpec>)[code] : undefined;
}
