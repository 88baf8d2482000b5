import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES, readTokenFile } from '../../../../src/agent/token/token-files.js';
import { clearRegisteredSecrets, redact } from '../../../../src/lib/redact.js';

const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-tok-'));
afterEach(() => clearRegisteredSecrets());

describe('readTokenFile', () => {
  it('reports no-env, missing, a directory, and never blocks on a FIFO', async () => {
    expect(await readTokenFile(undefined, 'AWS_WEB_IDENTITY_TOKEN_FILE')).toMatchObject({
      ok: false,
      reason: 'no-env',
    });
    expect(await readTokenFile(join(dir, 'none'), 'X')).toMatchObject({
      ok: false,
      reason: 'missing',
      errno: 'ENOENT',
    });
    expect(await readTokenFile(dir, 'X')).toMatchObject({ ok: false, reason: 'unreadable', errno: 'EISDIR' });
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readTokenFile(fifo, 'X')).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('refuses files over the bound, and devices such as /dev/zero without reading them', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(MAX_TOKEN_BYTES + 1, 'a'));
    expect(await readTokenFile(big, 'X')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(await readTokenFile('/dev/zero', 'X')).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('registers what it read as a secret before judging it', async () => {
    const p = join(dir, 'placeholder');
    writeFileSync(p, 'some-secret-placeholder\n');
    const r = await readTokenFile(p, 'X');
    expect(r).toMatchObject({ ok: false, reason: 'malformed' });
    expect(redact('x some-secret-placeholder y')).not.toContain('some-secret-placeholder');
  });
});
