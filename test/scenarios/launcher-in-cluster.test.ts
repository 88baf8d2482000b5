// `irsa-doctor run` from inside the cluster, as the CronJob in k8s/cronjob/ runs it: no kubeconfig, only
// what a pod has (KUBERNETES_SERVICE_HOST/PORT and the mounted ServiceAccount token, CA and namespace).
// The CronJob's own args are run, and every Kubernetes call must be granted by the RBAC that the same
// kustomization binds to the CronJob's ServiceAccount.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { type AuditStack, NS, SA, startAuditStack } from '../support/audit-stack.js';
import { kustomizeBuild, type Manifest } from '../support/kustomize.js';
import { rbacAllows } from '../support/rbac.js';
import { schemaErrors } from '../support/report-schema.js';
import { spawnCapture } from '../support/spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const CRONJOB_DIR = fileURLToPath(new URL('../../k8s/cronjob/', import.meta.url));

interface Sweep {
  runs: Array<{ namespace: string; serviceAccount: string; mechanism?: string; report: Report }>;
  findings?: Array<{ code: string }>;
}

let s: AuditStack;
let podEnv: Record<string, string>;
let manifests: Manifest[];
beforeAll(async () => {
  s = await startAuditStack({ kubelet: true });
  s.api.addServiceAccount(NS, 'pi-only');
  s.cp.eks.addPodIdentityAssociation({
    clusterName: s.cp.clusterName!,
    namespace: NS,
    serviceAccount: 'pi-only',
    roleArn: s.stack.podIdentityRoleArn,
  });
  // The files Kubernetes mounts into every pod that automounts its ServiceAccount token.
  const saDir = join(s.dir, 'pod-serviceaccount');
  mkdirSync(saDir);
  writeFileSync(join(saDir, 'token'), s.api.token);
  writeFileSync(join(saDir, 'ca.crt'), s.stack.ca.caCertPem);
  writeFileSync(join(saDir, 'namespace'), NS);
  const home = join(s.dir, 'home');
  mkdirSync(home);
  const url = new URL(s.api.url);
  podEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    IRSA_DOCTOR_SA_DIR: saDir,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The CronJob's ServiceAccount has an AWS role (for the Pod Identity listing).
    ...s.cp.env,
  };
  manifests = kustomizeBuild(CRONJOB_DIR, NS);
});
afterAll(() => s?.close());

/** The rules bound to a ServiceAccount of the build: namespaced (Role) and cluster-wide (ClusterRole). */
function rulesOf(serviceAccount: string) {
  const find = (kind: string, name: string) =>
    manifests.find((o) => o.kind === kind && o.metadata.name === name);
  const namespaced: V1PolicyRule[] = [];
  const cluster: V1PolicyRule[] = [];
  for (const b of manifests.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    if (!b.subjects.some((x: Manifest) => x.kind === 'ServiceAccount' && x.name === serviceAccount)) continue;
    const role = find(b.roleRef.kind, b.roleRef.name);
    expect(role, `${b.kind}/${b.metadata.name} refers to a role of the build`).toBeDefined();
    (b.kind === 'ClusterRoleBinding' ? cluster : namespaced).push(...(role!.rules ?? []));
  }
  return { namespaced, cluster };
}

describe('irsa-doctor run inside the cluster', () => {
  it("the CronJob's own args: every ServiceAccount of the pod's namespace, IRSA and Pod Identity, within its RBAC", async () => {
    const cron = manifests.find((o) => o.kind === 'CronJob')!;
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const args = [...(pod.containers[0].args as string[])];
    // Its --cluster is a placeholder for the operator's cluster name: here, the loopback cluster's.
    const at = args.indexOf('--cluster');
    expect(at).toBeGreaterThan(0);
    args[at + 1] = s.cp.clusterName!;
    const before = s.api.requests.length;
    const r = await spawnCapture(process.execPath, [CLI, ...args], { env: podEnv, killAfterMs: 120_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const doc = JSON.parse(r.stdout) as Sweep;
    expect(doc.runs.map((x) => `${x.namespace}/${x.serviceAccount}:${x.mechanism}`)).toEqual([
      `${NS}/pi-only:pod-identity`,
      `${NS}/${SA}:irsa`,
    ]);
    expect(doc.findings ?? []).toEqual([]);
    for (const run of doc.runs) {
      expect(schemaErrors(run.report)).toEqual([]);
      // The agent ran in each Job: its checks follow the launcher's.
      expect(run.report.checks.length).toBeGreaterThan(1);
    }
    expect(r.code).toBe(doc.runs.some((x) => x.report.verdict === 'fail') ? 1 : 0);
    expect(s.api.jobs()).toEqual([]);
    // The calls went out with the pod's token (the API server refuses any other) and RBAC allows them.
    const made = s.api.requests.slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((q) => q.status === 401)).toEqual([]);
    const { namespaced, cluster } = rulesOf(pod.serviceAccountName);
    const refused = made.filter(
      (q) => !(q.namespace === NS && rbacAllows(namespaced, q)) && !rbacAllows(cluster, q),
    );
    expect(refused.map((q) => `${q.verb} ${q.path}`)).toEqual([]);
  }, 120_000);

  it("one ServiceAccount without -n: the pod's own namespace, from the mounted namespace file", async () => {
    const r = await spawnCapture(process.execPath, [CLI, 'run', '-s', SA, '-o', 'json'], {
      env: podEnv,
      killAfterMs: 120_000,
    });
    const report = JSON.parse(r.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.context).toMatchObject({ namespace: NS, serviceAccount: SA, mechanism: 'irsa' });
    const launcher = report.checks.find((c) => c.id === 'launcher')!.findings.map((f) => f.code);
    expect(launcher).toContain('LAUNCH-MUTATED');
    expect(s.api.jobs()).toEqual([]);
  }, 120_000);

  it('a pod whose token is not mounted: a usage error that says so, no stack trace', async () => {
    const r = await spawnCapture(process.execPath, [CLI, 'run', '-s', SA, '-o', 'json'], {
      env: { ...podEnv, IRSA_DOCTOR_SA_DIR: join(s.dir, 'no-such-dir') },
      killAfterMs: 60_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Kubernetes configuration found|token/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
