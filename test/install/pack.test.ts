// The package as users get it: `npm pack`, then `npm install -g` of that tarball into an empty
// prefix, then the installed commands run from outside the clone, so no source, no node_modules of
// ours and no dev dependency can help them. dist/ is already built by the global setup.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Captured, spawnCapture } from '../support/spawn-capture.js';

let root: string;
let prefix: string;
let packed: { filename: string; files: { path: string; mode: number }[] };

/** The environment of a shell outside npm: npm's own npm_* settings would steer the nested npm. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'NODE_PATH',
    ),
  );
  return { ...env, ...extra };
}

async function npm(args: string[]): Promise<Captured> {
  const r = await spawnCapture('npm', args, { env: plainEnv(), killAfterMs: 120_000 });
  if (r.code !== 0) throw new Error(`npm ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r;
}

/** Runs an installed command the way a shell would: by name, from PATH, with Node 22 first. */
function installed(command: string, args: string[]): Promise<Captured> {
  const path = [dirname(process.execPath), join(prefix, 'bin'), process.env.PATH ?? ''].join(delimiter);
  return spawnCapture(command, args, {
    cwd: root,
    // A home of its own: no kubeconfig or npm settings of the developer's leak in.
    env: plainEnv({ PATH: path, HOME: root, KUBECONFIG: join(root, 'no-kubeconfig') }),
    killAfterMs: 20_000,
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'irsa-doctor-pack-'));
  prefix = join(root, 'prefix');
  // --ignore-scripts: `prepare` would rebuild dist/, which the global setup has just done.
  const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', root]);
  [packed] = JSON.parse(pack.stdout);
  await npm([
    'install',
    '--global',
    '--prefix',
    prefix,
    join(root, packed.filename),
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
  ]);
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the commands and the bundle, not the sources, tests or the image agent', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of [
      'bin/irsa-doctor.cjs',
      'bin/kubectl-irsa_doctor',
      'dist/irsa-doctor.mjs',
      'package.json',
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths.filter((p) => /^(src|test|scripts|bench|image|k8s)\//.test(p))).toEqual([]);
    expect(paths).not.toContain('dist/agent.mjs');
    const modes = packed.files.filter((f) => f.path.startsWith('bin/') && !f.path.includes('.'));
    expect(modes.map((f) => [f.path, f.mode & 0o111])).toEqual([['bin/kubectl-irsa_doctor', 0o111]]);
  });

  it('depends on nothing at run time: the bundle inlines every library it uses', () => {
    const pkg = JSON.parse(readFileSync(join(prefix, 'lib/node_modules/irsa-doctor/package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({
      'irsa-doctor': 'bin/irsa-doctor.cjs',
      'kubectl-irsa_doctor': 'bin/kubectl-irsa_doctor',
    });
  });

  it('installed: irsa-doctor check --help prints the agent usage', async () => {
    const r = await installed('irsa-doctor', ['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: irsa-doctor check/);
    expect(r.stderr).toBe('');
  });

  it('installed: irsa-doctor run --dry-run prints the Job it would create', async () => {
    const r = await installed('irsa-doctor', ['run', '--dry-run', '-n', 'ns', '-s', 'sa']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^apiVersion: batch\/v1\nkind: Job\n/);
    expect(r.stdout).toContain('serviceAccountName: sa');
    expect(r.stdout).toContain('namespace: ns');
  });

  it('gets a krew manifest from scripts/write-krew-manifest.ts that names this tarball and its entry point', async () => {
    const tarball = join(root, packed.filename);
    const out = join(root, 'irsa-doctor.yaml');
    const r = await spawnCapture(
      process.execPath,
      ['scripts/run-ts.mjs', 'scripts/write-krew-manifest.ts', tarball, out],
      { killAfterMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = loadYaml<{
      spec: { version: string; platforms: { uri: string; sha256: string; bin: string }[] };
    }>(readFileSync(out, 'utf8'));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
    const [platform] = manifest.spec.platforms;
    expect(platform.sha256).toBe(createHash('sha256').update(readFileSync(tarball)).digest('hex'));
    expect(platform.uri).toBe(
      `https://github.com/irsa-doctor/irsa-doctor/releases/download/v${pkg.version}/${packed.filename}`,
    );
    // krew unpacks the tarball as is; npm puts every file under package/.
    const entry = packed.files.find((f) => `package/${f.path}` === platform.bin);
    expect(entry?.mode).toBe(0o755);
  });

  it('installed: kubectl-irsa_doctor is the same command, as kubectl runs a plugin', async () => {
    const r = await installed('kubectl-irsa_doctor', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('irsa-doctor run -n NS -s SA');
    const version = await installed('kubectl-irsa_doctor', ['version']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });
});
