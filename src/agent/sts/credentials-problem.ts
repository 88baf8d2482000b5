import { isoOfSeconds } from '../../lib/jwt.js';

/** What the SDK parsed out of an STS <Credentials> element. */
export interface IssuedCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

/** The documented AccessKeyId shape (16 to 128 word characters); STS session keys start with ASIA. */
const ACCESS_KEY_ID_RE = /^[A-Z0-9]{16,128}$/;

/**
 * Why credentials from an AssumeRoleWithWebIdentity answer cannot be used, or undefined when they
 * can. STS always issues a session key, a secret, a session token and an expiry at least 15 minutes
 * ahead; anything else came from something posing as STS (or a clock far off), and is no success.
 * Never includes a secret: only which part is missing or of what shape.
 */
export function credentialsProblem(c: IssuedCredentials | undefined, now: Date): string | undefined {
  if (!c) return 'the answer has no Credentials';
  const missing = (['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'] as const).filter(
    (k) => c[k] === undefined || c[k] === '',
  );
  if (missing.length > 0) return `the Credentials lack ${missing.join(', ')}`;
  if (!ACCESS_KEY_ID_RE.test(c.AccessKeyId!))
    return 'the AccessKeyId is not an access key id (16 to 128 capital letters and digits)';
  const expires = c.Expiration!.getTime();
  if (!Number.isFinite(expires)) return 'the Expiration is not a date';
  if (expires <= now.getTime())
    return `the credentials expired at ${isoOfSeconds(expires / 1000) ?? 'an impossible date'}, before they were handed out (now ${now.toISOString()})`;
  return undefined;
}
