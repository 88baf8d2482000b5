import type { CodeCatalog } from './code-info.js';

export const LAUNCHER_CODES: CodeCatalog = {};
