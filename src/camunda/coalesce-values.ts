import type { HelmValues } from './helm-release.js';

/**
 * The values a chart's templates see: the user's values over the chart's defaults, merged the way
 * `helm install/upgrade` does (helm/helm pkg/chart/common/util/coalesce.go, CoalesceValues):
 * maps merge key by key, lists and scalars replace, a user `null` deletes the default key, and on a
 * type clash (map against scalar) the user's value wins. Nulls never reach the result, as a chart's
 * templates cannot tell a null from a missing key. Inputs are not modified.
 *
 * Subcharts' own defaults are not part of a stored release, so they are not merged here.
 */

/** Deeper than this, the user's value is taken as a whole (a guard against hostile nesting). */
const MAX_DEPTH = 64;

export function coalesceValues(defaults: HelmValues, user: HelmValues): HelmValues {
  return mergeTables(user, defaults, 0);
}

function mergeTables(
  user: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(defaults)) {
    if (Object.hasOwn(user, key)) continue;
    const cleaned = withoutNulls(d, depth + 1);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  for (const [key, u] of Object.entries(user)) {
    if (u === null || u === undefined) continue;
    const d = Object.hasOwn(defaults, key) ? defaults[key] : undefined;
    if (isTable(u) && isTable(d) && depth < MAX_DEPTH) out[key] = mergeTables(u, d, depth + 1);
    else out[key] = withoutNulls(u, depth + 1);
  }
  return out;
}

function withoutNulls(v: unknown, depth: number): unknown {
  if (v === null || v === undefined) return undefined;
  // Lists replace as a whole; Helm does not look inside them.
  if (Array.isArray(v)) return v;
  if (!isTable(v) || depth > MAX_DEPTH) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const c = withoutNulls(x, depth + 1);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

function isTable(v: unknown): v is Readonly<Record<string, unknown>> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
