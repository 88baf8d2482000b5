// Runs the built launcher image (Dockerfile target `launcher`) for real, the way k8s/cronjob/ runs it:
// in the container, as the image's user, on a read-only root filesystem, with no kubeconfig, only a
// pod's mounted ServiceAccount and KUBERNETES_SERVICE_HOST/PORT, the CronJob's own args sweep the
// loopback cluster (whose kubelet runs the agent) and list its Pod Identity associations.
// Usage (via .ci/image): node scripts/run-ts.mjs image/launcher-smoke.ts IMAGE
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Report } from '../src/report/types.js';
import { NS, SA, startAuditStack } from '../test/support/audit-stack.js';
import { kustomizeBuild } from '../test/support/kustomize.js';
import { spawnCapture } from '../test/support/spawn-capture.js';
import { buildah, duBytes, openUp, smokeChecks } from './smoke-support.js';

const image = process.argv[2] ?? 'localhost/irsa-doctor-launcher:ci';
const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

const { expect, finish } = smokeChecks('launcher image smoke test');

const user = buildah('inspect', '--format', '{{.OCIv1.Config.User}}', image);
expect(user === '65532:65532', `image user is 65532:65532 (got ${user})`);
// The kubelet runs the agent from the checkout's bundle (scripts/run-ts.mjs moves this file's URL).
const s = await startAuditStack({ kubelet: true, cli: join(process.cwd(), 'dist/irsa-doctor.mjs') });
const ctr = buildah('from', '--quiet', image);
try {
  s.api.addServiceAccount(NS, 'pi-only');
  s.cp.eks.addPodIdentityAssociation({
    clusterName: s.cp.clusterName!,
    namespace: NS,
    serviceAccount: 'pi-only',
    roleArn: s.stack.podIdentityRoleArn,
  });
  const root = buildah('mount', ctr);
  const size = duBytes(root);
  execFileSync('chmod', ['-R', 'a-w', root]);
  buildah('umount', ctr);
  console.log(`launcher image: ${(size / 1e6).toFixed(1)} MB uncompressed`);

  const saDir = join(s.dir, 'pod-serviceaccount');
  mkdirSync(saDir);
  writeFileSync(join(saDir, 'token'), s.api.token);
  writeFileSync(join(saDir, 'ca.crt'), s.stack.ca.caCertPem);
  writeFileSync(join(saDir, 'namespace'), NS);
  // The kubelet makes the mounted token readable through fsGroup; emulate that for uid 65532.
  const caDirs = [
    dirname(s.stack.ca.caFile),
    ...(s.cp.env.NODE_EXTRA_CA_CERTS ? [dirname(s.cp.env.NODE_EXTRA_CA_CERTS)] : []),
  ];
  for (const d of [saDir, ...caDirs]) openUp(d);
  const mounts = [`${saDir}:${SA_MOUNT}:ro`, ...new Set(caDirs.map((d) => `${d}:${d}:ro`))].flatMap((m) => [
    '-v',
    m,
  ]);
  const url = new URL(s.api.url);
  const env = {
    ...s.cp.env,
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);

  const cron = kustomizeBuild(join(process.cwd(), 'k8s/cronjob'), NS).find((o) => o.kind === 'CronJob')!;
  const args = [...(cron.spec.jobTemplate.spec.template.spec.containers[0].args as string[])];
  args[args.indexOf('--cluster') + 1] = s.cp.clusterName!;
  const t0 = performance.now();
  // The image's entrypoint is the launcher; buildah run takes the whole command line.
  const run = await spawnCapture(
    'buildah',
    [
      '--storage-driver',
      'vfs',
      'run',
      '--isolation',
      'chroot',
      ...mounts,
      ...envArgs,
      ctr,
      '--',
      '/nodejs/bin/node',
      '/app/irsa-doctor.mjs',
      ...args,
    ],
    { killAfterMs: 180_000 },
  );
  const ms = Math.round(performance.now() - t0);
  let doc: { runs: Array<{ serviceAccount: string; mechanism?: string; report: Report }> } | undefined;
  try {
    doc = JSON.parse(run.stdout);
  } catch {
    console.error(run.stdout.slice(0, 4000), run.stderr.slice(0, 4000));
  }
  expect(doc !== undefined, `the CronJob's args (${args.join(' ')}) printed a sweep document`);
  if (doc) {
    const got = doc.runs.map((r) => `${r.serviceAccount}:${r.mechanism}`).join(', ');
    expect(
      got === `pi-only:pod-identity, ${SA}:irsa`,
      `IRSA and Pod Identity ServiceAccounts swept (${got})`,
    );
    expect(
      doc.runs.every((r) => r.report.checks.length > 1),
      'the agent ran in every Job the launcher created',
    );
    for (const r of doc.runs)
      for (const c of r.report.checks)
        for (const f of c.findings)
          if (f.status === 'fail')
            console.log(
              `  ${r.serviceAccount}: ${f.code}: ${f.message} ${JSON.stringify(f.details).slice(0, 1500)}`,
            );
    expect(run.code === (doc.runs.some((r) => r.report.verdict === 'fail') ? 1 : 0), `exit ${run.code}`);
  }
  expect(!/\n\s+at /.test(run.stderr), 'no stack trace');
  expect(s.api.jobs().length === 0, 'every Job it created is deleted');
  expect(!s.api.requests.some((q) => q.status === 401), "every call carried the pod's token");
  console.log(`sweep inside the container (buildah run, start to exit): ${ms} ms`);
} finally {
  buildah('rm', ctr);
  await s.close();
}

finish();
