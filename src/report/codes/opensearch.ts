import type { CodeCatalog } from './code-info.js';

export const OPENSEARCH_CODES: CodeCatalog = {};
