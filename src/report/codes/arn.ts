import type { CodeCatalog } from './code-info.js';

export const ARN_CODES: CodeCatalog = {};
