import { ALL_CHECKS } from './agent/registry.js';
import { AUDIT_CHECKS } from './audit/registry.js';
import { CAMUNDA_CHECK_ID, CAMUNDA_CHECK_TITLE } from './camunda/camunda-check.js';
import type { CheckHeading } from './report/codes-markdown.js';
import { LAUNCHER_CHECK_ID, LAUNCHER_CHECK_TITLE } from './report/merge-report.js';

/**
 * Every check of every vantage point, in the order reports list them: what docs/codes.md is grouped
 * by. Only the docs generator and its test load this (it pulls in every agent check).
 */
export const CHECK_HEADINGS: readonly CheckHeading[] = [
  { id: LAUNCHER_CHECK_ID, title: LAUNCHER_CHECK_TITLE },
  ...ALL_CHECKS.map((c) => ({ id: c.id, title: c.title })),
  ...AUDIT_CHECKS.map((c) => ({ id: c.id, title: c.title })),
  { id: CAMUNDA_CHECK_ID, title: CAMUNDA_CHECK_TITLE },
];
