/**
 * Discovery reads env entries, ConfigMaps and Helm values, which people fill with passwords. These
 * two functions decide what never enters a result: a value under a secret-sounding name, and the
 * secret parts inside a longer text (a JDBC URL's password parameter, a URL's user:password@, a
 * `--db-password=` argument).
 */

const SECRET_NAME =
  /(pass(word|wd)?|pwd|secret|token|credential|api[-_.]?key|private[-_.]?key|access[-_.]?key|license[-_.]?key|connection[-_.]?string)/i;

/** True for names like SPRING_DATASOURCE_PASSWORD, client-secret, auth.password, apiKey. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A Spring placeholder such as `${VALUES_OPENSEARCH_PASSWORD:}` names a secret; it is not one. */
export function isPlaceholderOnly(value: string): boolean {
  return /^\$\{[^}]*\}$/.test(value.trim());
}

export const REDACTED_TEXT = '<redacted>';

/** Masks secrets inside a text; `redacted` tells whether anything was masked. */
export function scrubSecretText(value: string): { readonly text: string; readonly redacted: boolean } {
  let redacted = false;
  const mask = (_m: string, keep: string) => {
    redacted = true;
    return `${keep}${REDACTED_TEXT}`;
  };
  const text = value
    // key=value pairs in URLs, JDBC parameters and Java options: password=..., -Dx.password=...
    .replace(/((?:^|[?&;\s,])[-\w.]*(?:password|passwd|pwd|secret|token)[-\w.]*=)([^&;\s,]+)/gi, mask)
    // user:password@host in URLs
    .replace(/(\/\/[^/@:\s]*:)([^/@\s]+)(?=@)/g, mask)
    // command-line flags: --db-password secret, --password=secret
    .replace(/(--[-\w]*(?:password|secret|token)[-\w]*[= ])(\S+)/gi, mask);
  return { text, redacted };
}
