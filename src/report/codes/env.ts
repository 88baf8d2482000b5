import type { CodeCatalog } from './code-info.js';

export const ENV_CODES: CodeCatalog = {};
