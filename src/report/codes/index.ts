import { ARN_CODES } from './arn.js';
import { CHAIN_CODES } from './chain.js';
import type { CodeCatalog, CodeInfo } from './code-info.js';
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

export type { CodeCatalog, CodeInfo };

/** Every finding code, grouped by area in the order docs/codes.md lists them. */
export const CATALOG_SECTIONS: ReadonlyArray<{ area: string; codes: CodeCatalog }> = [
  { area: 'Mechanism and environment', codes: ENV_CODES },
  { area: 'Role ARN', codes: ARN_CODES },
  { area: 'Token file and claims', codes: TOKEN_CODES },
  { area: 'OIDC issuer', codes: OIDC_CODES },
  { area: 'STS AssumeRoleWithWebIdentity', codes: STS_CODES },
  { area: 'Identity', codes: IDENTITY_CODES },
  { area: 'Default credential chain', codes: CHAIN_CODES },
  { area: 'Instance metadata (IMDS)', codes: IMDS_CODES },
  { area: 'EKS Pod Identity', codes: POD_IDENTITY_CODES },
  { area: 'Network reachability', codes: NET_CODES },
  { area: 'Aurora / RDS PostgreSQL', codes: POSTGRES_CODES },
  { area: 'Amazon OpenSearch', codes: OPENSEARCH_CODES },
  { area: 'Launcher', codes: LAUNCHER_CODES },
];

export const CATALOG: CodeCatalog = Object.assign({}, ...CATALOG_SECTIONS.map((s) => s.codes));

export function isKnownCode(code: string): boolean {
  return Object.hasOwn(CATALOG, code);
}
