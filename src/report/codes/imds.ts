import type { CodeCatalog } from './code-info.js';

export const IMDS_CODES: CodeCatalog = {};
