import type { CodeCatalog } from './code-info.js';

export const STS_CODES: CodeCatalog = {};
