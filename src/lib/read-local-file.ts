import { constants, promises as fsp } from 'node:fs';

/** Why a file could not be read: it is not there, not a regular file, too large, or refused. */
export type LocalReadProblem = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';

/** `detail` completes "FILE ...": "does not exist", "is a directory", "cannot be read: ...". */
export type LocalRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: LocalReadProblem; errno?: string; detail: string };

/**
 * Reads a regular file of at most `maxBytes`. O_NONBLOCK and the regular-file check mean a FIFO,
 * socket or device named by a flag, a variable or a kubeconfig cannot hang the run (open() of a FIFO
 * with no writer would block a libuv worker, and with it the process's exit); the cap bounds what a
 * wrong path such as /dev/zero or a huge file can cost. Every file the tool reads goes through here.
 */
export async function readLocalFile(path: string, maxBytes: number): Promise<LocalRead> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return failure(e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory())
      return { ok: false, problem: 'directory', errno: 'EISDIR', detail: 'is a directory' };
    if (!st.isFile())
      return {
        ok: false,
        problem: 'not-regular',
        detail: 'is not a regular file (a FIFO, socket or device)',
      };
    if (st.size > maxBytes) return tooLarge(maxBytes);
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > maxBytes) return tooLarge(maxBytes);
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return failure(e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function tooLarge(maxBytes: number): LocalRead {
  return { ok: false, problem: 'too-large', detail: `is larger than ${sizeText(maxBytes)}` };
}

function failure(e: unknown): LocalRead {
  const errno = (e as NodeJS.ErrnoException).code;
  const problem: LocalReadProblem =
    errno === 'ENOENT' || errno === 'ENOTDIR' ? 'missing' : errno === 'EISDIR' ? 'directory' : 'unreadable';
  return { ok: false, problem, ...(errno ? { errno } : {}), detail: errnoText(errno) };
}

function errnoText(errno: string | undefined): string {
  switch (errno) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied (${errno})`;
    case 'ENOTDIR':
      return 'cannot be read: a parent of it is not a directory (ENOTDIR)';
    case 'EISDIR':
      return 'is a directory';
    default:
      return errno ? `cannot be read (${errno})` : 'cannot be read';
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
