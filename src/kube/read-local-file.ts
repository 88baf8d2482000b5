import { constants, promises as fsp } from 'node:fs';

/** `detail` completes "FILE ...": "does not exist", "is a directory", "cannot be read: ...". */
export type LocalRead = { ok: true; bytes: Buffer } | { ok: false; errno?: string; detail: string };

/**
 * Reads a regular file of at most `maxBytes`. O_NONBLOCK and the regular-file check mean a FIFO,
 * socket or device named in a kubeconfig cannot hang the run (kubectl would block on a FIFO with
 * no writer); the cap bounds what a wrong path such as /dev/zero or a huge file can cost.
 */
export async function readLocalFile(path: string, maxBytes: number): Promise<LocalRead> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    return { ok: false, ...(errno ? { errno } : {}), detail: errnoText(errno) };
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return { ok: false, errno: 'EISDIR', detail: 'is a directory' };
    if (!st.isFile()) return { ok: false, detail: 'is not a regular file (a FIFO, socket or device)' };
    if (st.size > maxBytes) return { ok: false, detail: `is larger than ${sizeText(maxBytes)}` };
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > maxBytes) return { ok: false, detail: `is larger than ${sizeText(maxBytes)}` };
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    return { ok: false, ...(errno ? { errno } : {}), detail: errnoText(errno) };
  } finally {
    await fh.close().catch(() => undefined);
  }
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
    default:
      return errno ? `cannot be read (${errno})` : 'cannot be read';
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
