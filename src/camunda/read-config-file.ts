import { loadAll } from 'js-yaml';
import type { ConfigFile, PropertyValue } from './app-config.js';
import { isPlaceholderOnly, isSecretName, scrubSecretText } from './secret-like.js';
import { canonicalProperty } from './spring-property-name.js';

/**
 * Turns a configuration file (YAML or .properties, as mounted from a ConfigMap) into Spring's flat
 * properties: nested keys joined with dots (a key may itself contain dots, as the chart's
 * `camunda.database:` does), list items as `[n]`. YAML documents that Spring would only activate
 * for another profile are skipped; later documents override earlier ones. Secret-looking values
 * are dropped here, before anything else sees them.
 */

export interface ConfigFileLimits {
  readonly maxChars: number;
  readonly maxEntries: number;
  readonly maxDepth: number;
}

export const DEFAULT_CONFIG_FILE_LIMITS: ConfigFileLimits = {
  maxChars: 1024 * 1024,
  maxEntries: 20_000,
  maxDepth: 32,
};

export function readConfigFile(
  name: string,
  text: string,
  source: string,
  opts: {
    readonly activeProfiles?: readonly string[];
    readonly limits?: ConfigFileLimits;
    /** Hears every password-like value that is dropped (for output redaction). */
    readonly onSecret?: (value: string) => void;
  } = {},
): ConfigFile {
  const limits = opts.limits ?? DEFAULT_CONFIG_FILE_LIMITS;
  const empty = (problem: string): ConfigFile => ({ name, source, properties: {}, problem });
  if (text.length > limits.maxChars) return empty(`${text.length} characters, over ${limits.maxChars}`);
  const properties: Record<string, PropertyValue> = {};
  const add = (key: string, raw: unknown): boolean => {
    if (Object.keys(properties).length >= limits.maxEntries) return false;
    properties[canonicalProperty(key)] = propertyValue(key, raw, `file:${source}#${key}`, opts.onSecret);
    return true;
  };
  if (/\.properties$/i.test(name)) {
    for (const [key, value] of parseProperties(text)) if (!add(key, value)) return truncated();
    return { name, source, properties };
  }
  let docs: unknown[];
  try {
    docs = loadAll(text, { maxDepth: limits.maxDepth, filename: name });
  } catch (e) {
    return empty(`not valid YAML: ${String((e as Error).message).split('\n')[0]}`);
  }
  const active = new Set(opts.activeProfiles ?? []);
  for (const doc of docs) {
    if (!activeDocument(doc, active)) continue;
    if (!flatten(doc, '', 0, limits.maxDepth, add)) return truncated();
  }
  return { name, source, properties };

  function truncated(): ConfigFile {
    return {
      name,
      source,
      properties,
      problem: `more than ${limits.maxEntries} properties; the rest ignored`,
    };
  }
}

function propertyValue(
  key: string,
  raw: unknown,
  source: string,
  onSecret?: (value: string) => void,
): PropertyValue {
  const text = raw === null || raw === undefined ? '' : String(raw);
  if (text !== '' && isSecretName(key) && !isPlaceholderOnly(text)) {
    onSecret?.(text);
    return { key, source, redacted: true };
  }
  const scrubbed = scrubSecretText(text);
  return { key, source, value: scrubbed.text, ...(scrubbed.redacted ? { redacted: true as const } : {}) };
}

function flatten(
  node: unknown,
  prefix: string,
  depth: number,
  maxDepth: number,
  add: (key: string, value: unknown) => boolean,
): boolean {
  if (depth > maxDepth) return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (!flatten(node[i], `${prefix}[${i}]`, depth + 1, maxDepth, add)) return false;
    }
    return true;
  }
  if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
    for (const [k, v] of Object.entries(node)) {
      if (!flatten(v, prefix ? `${prefix}.${k}` : k, depth + 1, maxDepth, add)) return false;
    }
    return true;
  }
  return prefix ? add(prefix, node instanceof Date ? node.toISOString() : node) : true;
}

/** Spring Boot 2.4+ `spring.config.activate.on-profile` (and the older `spring.profiles`) documents. */
function activeDocument(doc: unknown, active: ReadonlySet<string>): boolean {
  const onProfile =
    dig(doc, ['spring', 'config', 'activate', 'on-profile']) ?? dig(doc, ['spring', 'profiles']);
  if (onProfile === undefined || typeof onProfile === 'object') return true;
  return String(onProfile)
    .split(',')
    .map((p) => p.trim())
    .some((p) => (p.startsWith('!') ? !active.has(p.slice(1)) : active.has(p)));
}

function dig(node: unknown, path: readonly string[]): unknown {
  let cur = node;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    // The dotted form `spring.config.activate.on-profile: x` is common too.
    const dotted = path.slice(path.indexOf(seg)).join('.');
    if (dotted in rec) return rec[dotted];
    cur = rec[seg];
  }
  return cur;
}

function parseProperties(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  for (const line of lines) {
    const l = line.trim();
    if (!l || l.startsWith('#') || l.startsWith('!')) continue;
    const m = /^((?:\\.|[^=:\s])+)\s*[=:\s]\s*(.*)$/.exec(l);
    if (m) out.push([m[1]!.replace(/\\(.)/g, '$1'), m[2]!]);
    else out.push([l, '']);
  }
  return out;
}
