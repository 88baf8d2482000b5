import type { Check } from '../check.js';
import { opensearchCheck } from './opensearch-check.js';

/** The opensearch checks, in report order. */
export const OPENSEARCH_CHECKS: readonly Check[] = [opensearchCheck];
