import type { Check } from '../check.js';

/** The postgres checks, in report order. */
export const POSTGRES_CHECKS: readonly Check[] = [];
