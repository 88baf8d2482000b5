import type { Check } from '../check.js';

export const LOCAL_IDENTITY_CHECKS: readonly Check[] = [];
