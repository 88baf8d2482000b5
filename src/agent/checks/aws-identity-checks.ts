import type { Check } from '../check.js';
import { chainCheck } from './chain-check.js';
import { identityCheck } from './identity-check.js';
import { imdsCheck } from './imds-check.js';
import { podIdentityCheck } from './pod-identity-check.js';
import { stsCheck } from './sts-check.js';

/** What AWS says about the pod's identity: STS exchange, caller identity, the SDK chain, IMDS, Pod Identity. */
export const AWS_IDENTITY_CHECKS: readonly Check[] = [
  stsCheck,
  identityCheck,
  chainCheck,
  imdsCheck,
  podIdentityCheck,
];
