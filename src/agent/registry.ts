import type { Check } from './check.js';
import { IDENTITY_CHECKS } from './checks/identity-checks.js';
import { OPENSEARCH_CHECKS } from './checks/opensearch-checks.js';
import { POSTGRES_CHECKS } from './checks/postgres-checks.js';

/** Every check, in the order the report lists them. */
export const ALL_CHECKS: readonly Check[] = [...IDENTITY_CHECKS, ...POSTGRES_CHECKS, ...OPENSEARCH_CHECKS];

export function selectChecks(only: readonly string[]): { checks: Check[]; unknown: string[] } {
  if (only.length === 0) return { checks: [...ALL_CHECKS], unknown: [] };
  const ids = new Set(ALL_CHECKS.map((c) => c.id));
  return {
    checks: ALL_CHECKS.filter((c) => only.includes(c.id)),
    unknown: only.filter((id) => !ids.has(id)),
  };
}
