// The projected token files, read once per run and shared by every check that needs them.
import { constants, promises as fsp } from 'node:fs';
import { decodeToken, type TokenClaims } from '../../lib/jwt.js';
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

// O_NONBLOCK so a FIFO or device at the path cannot hang the run; at most MAX+1 bytes are read.
async function boundedRead(path: string): Promise<Read> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fsFailure(path, e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory())
      return {
        ok: false,
        path,
        reason: 'unreadable',
        errno: 'EISDIR',
        detail: 'EISDIR: the path is a directory',
      };
    if (!st.isFile())
      return {
        ok: false,
        path,
        reason: 'unreadable',
        detail: 'the path is not a regular file (device, FIFO or socket)',
      };
    if (st.size > MAX_TOKEN_BYTES)
      return {
        ok: false,
        path,
        reason: 'too-large',
        detail: `${st.size} bytes; a token is at most a few KiB`,
      };
    const buf = Buffer.alloc(MAX_TOKEN_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > MAX_TOKEN_BYTES)
      return {
        ok: false,
        path,
        reason: 'too-large',
        detail: `more than ${MAX_TOKEN_BYTES} bytes; a token is at most a few KiB`,
      };
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return fsFailure(path, e);
  } finally {
    await fh.close().catch(() => {});
  }
}

function fsFailure(path: string, e: unknown): Extract<TokenLoad, { ok: false }> {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
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
    reason: missing ? 'missing' : 'unreadable',
    errno: code,
    detail: `${code}: ${what[code] ?? 'read failed'}`,
  };
}
