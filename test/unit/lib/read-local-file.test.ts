import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalFile } from '../../../src/lib/read-local-file.js';

const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLocalFile', () => {
  it('reads a regular file up to the cap', async () => {
    const p = join(dir, 'ok');
    writeFileSync(p, 'camunda\n');
    const r = await readLocalFile(p, 255);
    expect(r.ok && r.bytes.toString()).toBe('camunda\n');
  });

  it('names a missing file, a directory, a file over the cap', async () => {
    expect(await readLocalFile(join(dir, 'nope'), 10)).toMatchObject({
      ok: false,
      problem: 'missing',
      errno: 'ENOENT',
    });
    mkdirSync(join(dir, 'd'));
    expect(await readLocalFile(join(dir, 'd'), 10)).toMatchObject({ ok: false, problem: 'directory' });
    writeFileSync(join(dir, 'big'), 'x'.repeat(11));
    expect(await readLocalFile(join(dir, 'big'), 10)).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('returns at once for a FIFO nobody writes, and for /dev/zero', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readLocalFile(fifo, 1024)).toMatchObject({ ok: false, problem: 'not-regular' });
    expect(await readLocalFile('/dev/zero', 1024)).toMatchObject({ ok: false, problem: 'not-regular' });
  });
});
