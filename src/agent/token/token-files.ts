// The projected token files, read once per run and shared by every check that needs them.
import { decodeToken, type TokenClaims } from '../../lib/jwt.js';
import { readLocalFile } from '../../lib/read-local-file.js';
import { registerSecret } from '../../lib/redact.js';
import { fact } from '../fact.js';

export type { TokenClaims };

/** STS accepts tokens up to 20000 characters; 64 KiB leaves room while bounding a wrong or hostile file. */
export const MAX_TOKEN_BYTES = 64 * 1024;

export type TokenLoadFailure = 'no-env' | 'missing' | 'unreadable' | 'malformed' | 'too-large';

export type TokenLoad =
  | {
      ok: true;
      path: string;
      /** The raw token, trimmed; registered as a secret. Never put it in a finding. */
      text: string;
      header: Record<string, unknown>;
      claims: TokenClaims;
    }
  | {
      ok: false;
      path?: string;
      reason: TokenLoadFailure;
      /** errno or parse reason; never token text */
      detail: string;
      /** errno code when the file system refused (ENOENT, EACCES, EISDIR, ...) */
      errno?: string;
    };

/** The IRSA token named by AWS_WEB_IDENTITY_TOKEN_FILE, read once per run. */
export const irsaToken = fact('irsa-token', (ctx) =>
  readTokenFile(ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE, 'AWS_WEB_IDENTITY_TOKEN_FILE'),
);

/** The EKS Pod Identity token named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read once per run. */
export const podIdentityToken = fact('pod-identity-token', (ctx) =>
  readTokenFile(ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'),
);

export async function readTokenFile(path: string | undefined, envName: string): Promise<TokenLoad> {
  if (path === undefined || path.trim() === '')
    return { ok: false, reason: 'no-env', detail: `${envName} is not set` };
  const read = await boundedRead(path);
  if (!read.ok) return read;
  const raw = read.bytes.toString('utf8');
  registerSecret(raw);
  const text = raw.trim();
  registerSecret(text);
  const decoded = decodeToken(text);
  if (!decoded.ok) return { ok: false, path, reason: 'malformed', detail: decoded.detail };
  return { ok: true, path, text, header: decoded.header, claims: decoded.claims };
}

type Read = { ok: true; bytes: Buffer } | Extract<TokenLoad, { ok: false }>;

/** The token file through the one bounded reader: a FIFO, device or huge file cannot hang or flood the run. */
async function boundedRead(path: string): Promise<Read> {
  const read = await readLocalFile(path, MAX_TOKEN_BYTES);
  if (read.ok) return read;
  if (read.problem === 'too-large')
    return {
      ok: false,
      path,
      reason: 'too-large',
      detail: `more than ${MAX_TOKEN_BYTES} bytes; a token is at most a few KiB`,
    };
  if (read.problem === 'not-regular')
    return {
      ok: false,
      path,
      reason: 'unreadable',
      detail: 'the path is not a regular file (device, FIFO or socket)',
    };
  const code = read.errno ?? 'EIO';
  const what: Record<string, string> = {
    ENOENT: 'no such file',
    ENOTDIR: 'a parent of the path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'the path is a directory',
    ELOOP: 'too many symbolic links',
  };
  return {
    ok: false,
    path,
    reason: read.problem === 'missing' ? 'missing' : 'unreadable',
    errno: code,
    detail: `${code}: ${what[code] ?? 'read failed'}`,
  };
}
