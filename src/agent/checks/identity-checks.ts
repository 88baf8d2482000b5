import type { Check } from '../check.js';
import { AWS_IDENTITY_CHECKS } from './aws-identity-checks.js';
import { LOCAL_IDENTITY_CHECKS } from './local-identity-checks.js';

/** Identity checks: what is in the pod first (env, ARN, token, issuer), then what AWS says. */
export const IDENTITY_CHECKS: readonly Check[] = [...LOCAL_IDENTITY_CHECKS, ...AWS_IDENTITY_CHECKS];
