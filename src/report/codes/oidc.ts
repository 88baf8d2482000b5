import type { CodeCatalog } from './code-info.js';

export const OIDC_CODES: CodeCatalog = {};
