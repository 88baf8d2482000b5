// What the two image smoke tests (image/smoke.ts, image/launcher-smoke.ts) share: buildah on the vfs
// driver, a list of named expectations that ends the run with exit 1 when one failed, and the bits of
// file-system work both do on an image's root.
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const buildah = (...args: string[]): string =>
  execFileSync('buildah', ['--storage-driver', 'vfs', ...args], { encoding: 'utf8' }).trim();

/** Bytes under a path, as `du -sb` counts them (the uncompressed size of an image's root). */
export const duBytes = (path: string): number =>
  Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split(/\s/)[0]);

/** Each expectation prints ok/FAIL as it is checked; `finish` exits 1 if any failed. */
export function smokeChecks(name: string) {
  const problems: string[] = [];
  return {
    expect(ok: boolean, what: string): void {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
      if (!ok) problems.push(what);
    },
    finish(): void {
      if (problems.length > 0) {
        console.error(`${name}: ${problems.length} problem(s)`);
        process.exit(1);
      }
      console.log(`${name}: all good`);
    },
  };
}

/** Makes a directory tree readable by the image's user (65532), as the kubelet's fsGroup does for a pod. */
export function openUp(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const name of readdirSync(path)) openUp(join(path, name));
}
