// The version check in bin/, which runs before the bundle on whatever Node the user has.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE, nodeVersionProblem } from '../../bin/node-version-problem.cjs';
import { spawnCapture } from '../support/spawn-capture.js';

const TOO_OLD =
  /^irsa-doctor: needs Node\.js 22\.19 or later, but this is Node\.js \d+\.\d+\.\d+ \(.+\); install Node\.js 22 LTS or newer from https:\/\/nodejs\.org or your package manager$/;

describe('nodeVersionProblem', () => {
  it('names the Node found, where it is and what to install, in one line', () => {
    const line = nodeVersionProblem('20.20.2', '/usr/bin/node');
    expect(line).toBe(
      'irsa-doctor: needs Node.js 22.19 or later, but this is Node.js 20.20.2 (/usr/bin/node); install Node.js 22 LTS or newer from https://nodejs.org or your package manager',
    );
    expect(line).toMatch(TOO_OLD);
  });

  it('refuses every version below 22.19.0, including early 22s whose zlib lacks zstd', () => {
    for (const v of [
      'v10.24.1',
      '16.20.2',
      '18.20.8',
      '20.20.2',
      '22.0.0',
      '22.14.0',
      '22.18.9',
      '21.99.99',
    ]) {
      expect(nodeVersionProblem(v, '/x/node'), v).toMatch(TOO_OLD);
    }
  });

  it('lets 22.19.0 and anything newer through, with or without the leading v', () => {
    for (const v of ['22.19.0', 'v22.19.0', '22.23.3', '23.0.0', '24.11.1', '30.0.0-pre']) {
      expect(nodeVersionProblem(v), v).toBeUndefined();
    }
  });

  it('lets a version it cannot read through rather than refuse a Node it does not understand', () => {
    expect(nodeVersionProblem('')).toBeUndefined();
    expect(nodeVersionProblem('not-a-version')).toBeUndefined();
  });

  it('asks for exactly what package.json promises in engines.node', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
  });
});

/** A Node older than the bundle needs from PATH, leaving out node_modules/.bin (npm puts Node 22 there). */
async function oldNodeOnPath(): Promise<{ path: string; version: string } | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules'));
  for (const dir of new Set(dirs)) {
    const path = join(dir, 'node');
    if (!existsSync(path)) continue;
    const r = await spawnCapture(path, ['-p', 'process.versions.node'], { killAfterMs: 10_000 });
    const version = r.stdout.trim();
    if (r.code === 0 && nodeVersionProblem(version)) return { path, version };
  }
  return undefined;
}

describe('the commands on an old Node', () => {
  it('irsa-doctor and kubectl-irsa_doctor print that one line and exit 2, never a stack trace', async () => {
    const old = await oldNodeOnPath();
    if (!old) {
      // This machine has no Node older than 22.19 outside node_modules: check the same function
      // with the version the laptops had, so the test still proves something.
      expect(nodeVersionProblem('20.20.2', '/usr/bin/node')).toMatch(TOO_OLD);
      return;
    }
    for (const bin of ['bin/irsa-doctor.cjs', 'bin/kubectl-irsa_doctor']) {
      const r = await spawnCapture(old.path, [bin, 'run', '--dry-run', '-n', 'ns', '-s', 'sa'], {
        killAfterMs: 20_000,
      });
      expect({ bin, code: r.code, stdout: r.stdout }).toEqual({ bin, code: 2, stdout: '' });
      expect(r.stderr.split('\n')).toEqual([expect.stringMatching(TOO_OLD), '']);
      expect(r.stderr).toContain(`Node.js ${old.version} (`);
    }
  });
});
