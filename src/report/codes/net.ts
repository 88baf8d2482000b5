import type { CodeCatalog } from './code-info.js';

export const NET_CODES: CodeCatalog = {};
