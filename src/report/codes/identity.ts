import type { CodeCatalog } from './code-info.js';

export const IDENTITY_CODES: CodeCatalog = {};
