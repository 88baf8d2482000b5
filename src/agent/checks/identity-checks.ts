import type { Check } from '../check.js';

/** The identity checks, in report order. */
export const IDENTITY_CHECKS: readonly Check[] = [];
