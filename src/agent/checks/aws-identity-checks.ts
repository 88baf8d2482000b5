import type { Check } from '../check.js';

export const AWS_IDENTITY_CHECKS: readonly Check[] = [];
