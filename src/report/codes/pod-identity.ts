import type { CodeCatalog } from './code-info.js';

export const POD_IDENTITY_CODES: CodeCatalog = {};
