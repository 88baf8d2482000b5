import type { Check } from '../check.js';
import { envCheck } from './env-check.js';
import { oidcCheck } from './oidc-check.js';
import { roleArnCheck } from './role-arn-check.js';
import { tokenClaimsCheck } from './token-claims-check.js';
import { tokenFileCheck } from './token-file-check.js';

/** What the pod can tell about its identity without asking AWS: env, role ARN, token file and claims, issuer. */
export const LOCAL_IDENTITY_CHECKS: readonly Check[] = [
  envCheck,
  roleArnCheck,
  tokenFileCheck,
  tokenClaimsCheck,
  oidcCheck,
];
