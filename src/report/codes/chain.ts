import type { CodeCatalog } from './code-info.js';

export const CHAIN_CODES: CodeCatalog = {};
