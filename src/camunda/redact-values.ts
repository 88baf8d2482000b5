import { isPlaceholderOnly, isSecretName, REDACTED_TEXT, scrubSecretText } from './secret-like.js';

/**
 * Removes what looks like a password from Helm values or a rendered manifest before anything
 * else holds them: a string under a secret-sounding key (`password`, `inlineSecret`, `apiKey`,
 * `license.key`), the value of an env-style `{name: X_PASSWORD, value: ...}` entry, a Secret
 * object's data, and the password parts inside any other string. Names of keys inside Secrets
 * (`existingSecretPasswordKey`, `secretKeys`) are kept: they are not secret.
 */

// Keys whose values name a key inside a Secret, or a file: not secret themselves. `existingSecret`
// is not among them: the 8.7 chart takes a string there as the client secret itself.
const REFERENCE_KEY = /(secret(s)?key(s)?$|passwordkey$|name$|ref$|file$|path$)/i;
const MAX_DEPTH = 64;

export interface RedactedValues<T> {
  readonly value: T;
  /** Dotted paths of what was removed. */
  readonly paths: readonly string[];
}

/**
 * `onSecret` hears every value removed whole (not the parts masked inside longer strings), so the
 * caller can have output redaction mask it wherever else it might surface.
 */
export function redactValues<T>(input: T, onSecret?: (value: string) => void): RedactedValues<T> {
  const paths: string[] = [];
  const walk = (v: unknown, path: string, key: string, parentKey: string, depth: number): unknown => {
    if (typeof v === 'string') {
      if (v !== '' && secretKey(key, parentKey) && !isPlaceholderOnly(v)) {
        paths.push(path);
        onSecret?.(v);
        return REDACTED_TEXT;
      }
      const s = scrubSecretText(v);
      if (s.redacted) paths.push(path);
      return s.text;
    }
    if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`, key, parentKey, depth + 1));
    const rec = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // env-style entries carry the secret's name in a sibling key.
    const envSecret = typeof rec.name === 'string' && 'value' in rec && isSecretName(rec.name);
    const secretObject = rec.kind === 'Secret' && typeof rec.apiVersion === 'string';
    for (const [k, x] of Object.entries(rec)) {
      const p = path ? `${path}.${k}` : k;
      if (
        (envSecret && k === 'value' && typeof x === 'string' && x !== '' && !isPlaceholderOnly(x)) ||
        (secretObject && (k === 'data' || k === 'stringData') && x && typeof x === 'object')
      ) {
        paths.push(p);
        if (typeof x === 'string') onSecret?.(x);
        out[k] =
          k === 'value'
            ? REDACTED_TEXT
            : Object.fromEntries(Object.keys(x as object).map((n) => [n, REDACTED_TEXT]));
        continue;
      }
      out[k] = walk(x, p, k, key, depth + 1);
    }
    return out;
  };
  return { value: walk(input, '', '', '', 0) as T, paths };
}

function secretKey(key: string, parentKey: string): boolean {
  if (!key || REFERENCE_KEY.test(key)) return false;
  return isSecretName(key) || isSecretName(`${parentKey}.${key}`);
}
