import type { Fact } from './camunda-component.js';
import { coalesceValues } from './coalesce-values.js';
import type { HelmValues } from './helm-release.js';

/**
 * Read access to Helm values that says where each value came from: the user's values
 * (`values:<path>`), the chart's defaults (`chart-default:<path>`), or a fixed table such as a
 * subchart's defaults. Views can be narrowed to a key and layered (8.10's camundaHub over
 * webModeler, the parent's identityKeycloak over the Keycloak subchart's defaults).
 */
export interface ValuesView {
  /** The value at a dotted path (or a list of keys, for keys that contain dots); absent for null. */
  get(path: string | readonly string[]): Fact<unknown> | undefined;
}

const keys = (path: string | readonly string[]): readonly string[] =>
  typeof path === 'string' ? path.split('.').filter(Boolean) : path;

function dig(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = Object.hasOwn(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}

const dotted = (path: readonly string[]) => path.map((k) => (k.includes('.') ? `"${k}"` : k)).join('.');

/** The values a release's templates saw: user values coalesced over the chart's defaults. */
export function releaseValuesView(defaults: HelmValues, config: HelmValues): ValuesView {
  const merged = coalesceValues(defaults, config);
  return {
    get(path) {
      const p = keys(path);
      const value = dig(merged, p);
      if (value === undefined || value === null) return undefined;
      const fromUser = dig(config, p) !== undefined;
      return { value, source: `${fromUser ? 'values' : 'chart-default'}:${dotted(p)}` };
    },
  };
}

/** A fixed table of values, reported under `prefix:<path>`. */
export function tableView(values: HelmValues, prefix: string): ValuesView {
  return {
    get(path) {
      const p = keys(path);
      const value = dig(values, p);
      return value === undefined || value === null ? undefined : { value, source: `${prefix}:${dotted(p)}` };
    },
  };
}

/** The view under one key (`identityKeycloak`), with sources still naming the full path. */
export function subView(view: ValuesView, prefix: string | readonly string[]): ValuesView {
  const pre = keys(prefix);
  return { get: (path) => view.get([...pre, ...keys(path)]) };
}

/** `top` wins wherever it has a value; a null or missing value in `top` falls through to `base`. */
export function overlayView(base: ValuesView, top: ValuesView): ValuesView {
  return { get: (path) => top.get(path) ?? base.get(path) };
}
