// Runs the built image for real against the loopback EKS: the agent in the container, as the image's
// own user, trades an injected token with the STS emulator and proves the role. Also checks the
// runtime user, the image size (one layer, under MAX_BYTES) and that the agent reads its V8 compile
// cache on a read-only root filesystem. Usage (via .ci/image): node scripts/run-ts.mjs image/smoke.ts IMAGE
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Report } from '../src/report/types.js';
import { startEksStack } from '../test/harness/eks-stack.js';
import { schemaErrors } from '../test/support/report-schema.js';
import { spawnCapture } from '../test/support/spawn-capture.js';
import { buildah, duBytes, openUp, smokeChecks } from './smoke-support.js';

const image = process.argv[2] ?? 'localhost/irsa-doctor:ci';
/** The image's uncompressed size limit (issue 13: a stripped Node, no full-ICU Node build available). */
const MAX_BYTES = 115 * 1000 * 1000;
const IDENTITY_CHECKS = 'env,role-arn,token-file,token-claims,oidc,sts,identity,chain,imds';

const { expect, finish } = smokeChecks('image smoke test');

const user = buildah('inspect', '--format', '{{.OCIv1.Config.User}}', image);
expect(user === '65532:65532', `image user is 65532:65532 (got ${user})`);
// One layer, so the size below is all an image pull carries (no base layer still holding a Node).
const layers = buildah('inspect', '--format', '{{len .OCIv1.RootFS.DiffIDs}}', image);
expect(layers === '1', `the image is one layer (got ${layers})`);
const stack = await startEksStack({ imdsMode: 'hop-limit-v1-disabled' });
const ctr = buildah('from', '--quiet', image);
try {
  // Uncompressed size = the bytes of the root filesystem a container of this image gets.
  const root = buildah('mount', ctr);
  const size = duBytes(root);
  const bytes = (path: string) => duBytes(join(root, path));
  const parts = {
    node: bytes('nodejs/bin/node'),
    agent: bytes('app') - bytes('app/compile-cache'),
    cache: bytes('app/compile-cache'),
  };
  // A read-only root filesystem, as the launcher's Job asks for: in this throwaway container nothing
  // stays writable (not even /tmp or the user's home), so any write by the agent would fail the run.
  execFileSync('chmod', ['-R', 'a-w', root]);
  buildah('umount', ctr);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  expect(
    size < MAX_BYTES,
    `image under ${mb(MAX_BYTES)} uncompressed (${mb(size)}: Node ${mb(parts.node)}, agent ${mb(parts.agent)}, compile cache ${mb(parts.cache)}, the rest ${mb(size - parts.node - parts.agent - parts.cache)})`,
  );
  const env = await stack.podEnv({ namespace: 'camunda', serviceAccount: 'zeebe-sa' });
  // The kubelet makes the projected token readable through fsGroup; emulate that for uid 65532.
  for (const dir of [stack.tmpDir, dirname(stack.ca.caFile)]) openUp(dir);
  const mounts = [stack.tmpDir, dirname(stack.ca.caFile)].flatMap((d) => ['-v', `${d}:${d}:ro`]);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const whoami = await inContainer(
    [],
    ['/nodejs/bin/node', '-e', 'process.stdout.write(String(process.getuid()))'],
  );
  expect(whoami.stdout === '65532', `runs as uid 65532 (got ${whoami.stdout || whoami.stderr})`);
  const write = await inContainer(
    [],
    ['/nodejs/bin/node', '-e', "require('fs').writeFileSync('/tmp/probe', 'x')"],
  );
  expect(write.code !== 0, 'nothing in the root filesystem is writable (the checks below run read-only)');

  // The compile cache, read-only: Node says which module's cache it read and whether V8 accepted it.
  const traced = await inContainer(
    [...mounts, ...envArgs, '-e', 'NODE_DEBUG_NATIVE=COMPILE_CACHE'],
    ['/nodejs/bin/node', '/app/agent.mjs', 'check', '-o', 'json', '--only', IDENTITY_CHECKS],
  );
  const cacheLog = traced.stderr.split('\n').filter((l) => l.startsWith('[compile cache]'));
  const accepted = cacheLog.filter((l) => /cache for file:\/\/\/app\/.* was accepted/.test(l));
  const compiled = cacheLog.filter((l) => /reading cache from .* for ESM file:\/\/\/app\//.test(l));
  const trouble = cacheLog.filter((l) => /reject|fail|denied|cannot|mismatch|no cache/i.test(l));
  expect(
    accepted.some((l) => l.includes('file:///app/agent.mjs')) &&
      accepted.length === compiled.length &&
      trouble.length === 0,
    `every module the agent loads comes from the read-only compile cache (${accepted.length} of ${compiled.length} accepted${trouble.length ? `; ${trouble.join(' / ')}` : ''})`,
  );
  expect(traced.stdout.startsWith('{'), 'the cache trace goes to stderr, the report still to stdout');

  // Start-up alone: container start plus loading the bundle, no checks; with the cache and without.
  const startTimes = { cache: [] as number[], none: [] as number[] };
  for (let i = 0; i < 3; i++) {
    for (const mode of ['cache', 'none'] as const) {
      const t = performance.now();
      const list = await inContainer(mode === 'none' ? ['-e', 'NODE_DISABLE_COMPILE_CACHE=1'] : [], [
        '/nodejs/bin/node',
        '/app/agent.mjs',
        'check',
        '--list',
      ]);
      startTimes[mode].push(Math.round(performance.now() - t));
      if (i === 0 && mode === 'cache')
        expect(
          list.code === 0 && list.stdout.includes('sts'),
          'the agent lists its checks inside the container',
        );
    }
  }
  console.log(
    `agent start-up inside the container (buildah run + --list), 3 runs: ${startTimes.cache.join(', ')} ms with the compile cache, ${startTimes.none.join(', ')} ms without`,
  );

  const t0 = performance.now();
  const run = await inContainer(
    [...mounts, ...envArgs],
    ['/nodejs/bin/node', '/app/agent.mjs', 'check', '-o', 'json', '--only', IDENTITY_CHECKS],
  );
  const ms = Math.round(performance.now() - t0);
  let report: Report | undefined;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    console.error(run.stdout, run.stderr);
  }
  expect(report !== undefined, 'the container printed a JSON report');
  if (report) {
    expect(schemaErrors(report).length === 0, 'the report matches docs/report.schema.json');
    const codes = new Map(report.checks.flatMap((c) => c.findings).map((f) => [f.code, f.status]));
    for (const code of ['ENV-INJECTED', 'TOKEN-CLAIMS-OK', 'STS-OK', 'IDENTITY-OK']) {
      expect(codes.get(code) === 'pass', `${code} passes inside the container`);
    }
    expect(report.verdict !== 'fail' && run.code === 0, `verdict ${report.verdict}, exit ${run.code}`);
    console.log(`agent run inside the container (buildah run, start to exit): ${ms} ms`);
    for (const c of report.checks)
      for (const f of c.findings)
        if (f.status === 'fail' || f.status === 'warn') console.log(`  ${f.status} ${f.code}: ${f.message}`);
    for (const c of report.checks) if (c.status === 'error') console.log(`  error ${c.id}: ${c.error}`);
  }
} finally {
  buildah('rm', ctr);
  await stack.close();
}

finish();

/** `buildah run` in the working container, asynchronously: the emulators it talks to live in this process. */
function inContainer(runArgs: string[], command: string[]) {
  return spawnCapture(
    'buildah',
    ['--storage-driver', 'vfs', 'run', '--isolation', 'chroot', ...runArgs, ctr, '--', ...command],
    { killAfterMs: 60_000 },
  );
}
