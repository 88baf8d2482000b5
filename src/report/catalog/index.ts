import { ARN_CODES } from './arn.js';
import { AUDIT_CODES } from './audit.js';
import { CAMUNDA_CODES } from './camunda.js';
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
import { PROXY_CODES } from './proxy.js';
import { STS_CODES } from './sts.js';
import { TOKEN_CODES } from './token.js';

/** Every finding code there is, topic after topic: the type findings are made from. */
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
  ...PROXY_CODES,
  ...POSTGRES_CODES,
  ...OPENSEARCH_CODES,
  ...LAUNCHER_CODES,
  ...AUDIT_CODES,
  ...CAMUNDA_CODES,
};

export type Code = keyof typeof CATALOG;

export function specOf(code: string): CodeSpec | undefined {
  return Object.hasOwn(CATALOG, code) ? (CATALOG as Record<string, CodeSpec>)[code] : undefined;
}
