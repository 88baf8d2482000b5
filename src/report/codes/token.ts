import type { CodeCatalog } from './code-info.js';

export const TOKEN_CODES: CodeCatalog = {};
