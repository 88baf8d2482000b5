import type { CodeCatalog } from './code-info.js';

export const POSTGRES_CODES: CodeCatalog = {};
