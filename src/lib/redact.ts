/**
 * The one redaction function every renderer and log line passes through (the shell also passes
 * everything a command writes through it, see cli/guarded-io.ts).
 * Two layers: exact values the agent learned are secret (registered as soon as it holds them),
 * and patterns for secrets it never saw itself (a token echoed back in an error, a presigned URL,
 * the password in a URL someone typed into a flag or a variable).
 */

const registered = new Set<string>();

/** Remember a secret value so any later output containing it is masked. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const v = value.trim();
  if (v.length < 8) return;
  registered.add(v);
  // A JWT's signature alone is also secret.
  const parts = v.split('.');
  if (parts.length === 3 && parts[2]!.length >= 8) registered.add(parts[2]!);
}

export const REDACTED = '<redacted>';

// The authority of a URL with a scheme: everything after `scheme://` up to the path, query, fragment or
// a quote. `<` and `\` do not end it, so a password holding them is still masked whole.
const URL_AUTHORITY = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#"'`]*)/gi;
// `user:password@host` without a scheme (a --postgres target, a proxy setting): the user starts a word,
// the password runs to the last `@` before a host. An image reference `name:tag@sha256:...` is no login.
// Lengths are bounded so a long hostile line costs linear time, not quadratic.
const BARE_USERINFO =
  /(^|[\s"'=(,;[{<>`])([^\s:@/"'`]{1,128}):([^\s/"'`]{1,512})@(?!sha\d+:)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])/gi;

/**
 * Masks the password of every `user:password@` in a URL, with or without a scheme. The user name stays:
 * it says whom a login was tried as, which is often the diagnosis; a userinfo without `:` is a user name.
 */
function redactUserinfo(text: string): string {
  return text
    .replace(URL_AUTHORITY, (whole, scheme: string, authority: string) => {
      // The host follows the last `@`: a password may itself hold `@` or `:`.
      const at = authority.lastIndexOf('@');
      const colon = authority.indexOf(':');
      if (at < 0 || colon < 0 || colon > at || MASKED.test(authority.slice(colon + 1, at))) return whole;
      return `${scheme}${authority.slice(0, colon)}:${REDACTED}${authority.slice(at)}`;
    })
    .replace(BARE_USERINFO, (whole, lead: string, user: string, password: string, host: string) =>
      MASKED.test(password) ? whole : `${lead}${user}:${REDACTED}@${host}`,
    );
}

/**
 * A password already masked, as a renderer escaped the mask for its format (XML and HTML entities,
 * Markdown's backslashes): left as it is, so redacting a rendered report again (the shell redacts all
 * output) keeps it valid XML or Markdown instead of putting a raw `<redacted>` back.
 */
const MASKED = /^(?:<redacted>|&lt;redacted&gt;|\\<redacted\\>)$/;

const PATTERNS: Array<[RegExp, string]> = [
  // JSON Web Tokens: header.payload.signature, all base64url.
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g, '<redacted:jwt>'],
  // SigV4 presigned URLs and Authorization headers.
  [/(X-Amz-Signature=)[0-9a-fA-F]+/g, `$1${REDACTED}`],
  [/(X-Amz-Security-Token=)[^&\s"']+/g, `$1${REDACTED}`],
  [/(Signature=)[0-9a-fA-F]{16,}/g, `$1${REDACTED}`],
  // Credential fields in JSON, XML, env or query form.
  [
    /((?:"|\b)(?:SecretAccessKey|secretAccessKey|secret_access_key|AWS_SECRET_ACCESS_KEY|SessionToken|sessionToken|session_token|AWS_SESSION_TOKEN|Token|token|password|Password|PGPASSWORD)"?\s*[:=]\s*"?)([^"\s,&<}]{6,})/g,
    `$1${REDACTED}`,
  ],
  [/(<(SecretAccessKey|SessionToken|Token)>)[^<]+(<\/\2>)/g, `$1${REDACTED}$3`],
  // Long opaque blobs are session tokens in practice; nothing legitimate in a report is this long.
  [/[A-Za-z0-9+/]{160,}={0,2}/g, REDACTED],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return redactUserinfo(out);
}

/** Redacts every string inside a JSON-like value, returning a copy. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/** For tests only: forget registered secrets between cases. */
export function clearRegisteredSecrets(): void {
  registered.clear();
}
