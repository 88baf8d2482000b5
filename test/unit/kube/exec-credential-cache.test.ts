import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedExecCredential, clearExecCredentialCache } from '../../../src/kube/exec-credential-cache.js';
import { fakeExec, tempDir, writeFakePlugin } from './fixtures.js';

afterEach(() => clearExecCredentialCache());

const dir = tempDir('irsa-doctor-exec-cache-');
const script = writeFakePlugin(dir);
const QUIET = { stdinIsTerminal: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };
const runs = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe('cachedExecCredential', () => {
  it('reuses the credential until its expirationTimestamp, then runs the plugin again', async () => {
    const count = join(dir, 'expiring');
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const plugin = fakeExec(script, ['count', count], {
      env: [{ name: 'EXPIRES', value: '2030-01-01T00:15:00Z' }],
    });
    expect(await cachedExecCredential(plugin, { ...QUIET, now: () => t0 })).toMatchObject({ ok: true });
    expect(await cachedExecCredential(plugin, { ...QUIET, now: () => t0 + 14 * 60_000 })).toMatchObject({
      ok: true,
    });
    expect(runs(count)).toBe(1);
    expect(await cachedExecCredential(plugin, { ...QUIET, now: () => t0 + 15 * 60_000 })).toMatchObject({
      ok: true,
    });
    expect(runs(count)).toBe(2);
  });

  it('a credential without expiry lasts the process; concurrent callers share one run', async () => {
    const count = join(dir, 'forever');
    const plugin = fakeExec(script, ['count', count]);
    const all = await Promise.all([1, 2, 3].map(() => cachedExecCredential(plugin, QUIET)));
    expect(all.every((r) => r.ok)).toBe(true);
    await cachedExecCredential(plugin, { ...QUIET, now: () => Date.parse('2100-01-01T00:00:00Z') });
    expect(runs(count)).toBe(1);
  });

  it('a failure is not kept: the next call runs the plugin again', async () => {
    const plugin = fakeExec(script, ['fail-once', join(dir, 'fail-once')]);
    expect(await cachedExecCredential(plugin, QUIET)).toMatchObject({
      ok: false,
      kind: 'failed',
      exitCode: 1,
    });
    expect(await cachedExecCredential(plugin, QUIET)).toMatchObject({ ok: true });
  });
});
