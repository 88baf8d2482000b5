// `irsa-doctor run --all` and EKS Pod Identity: ServiceAccounts that have an association but no role-arn
// annotation are found in EKS with the launcher's own AWS credentials, run like the others, and the sweep
// table says which mechanism each uses; without credentials (or a region, or the permission) a sweep
// finding says they could not be listed, and the annotated ones still run. A single `run -s` of a
// ServiceAccount without an annotation asks EKS the same question before it warns.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/types.js';
import { type AuditStack, NS, SA, startAuditStack } from '../support/audit-stack.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';
import { schemaErrors, sweepSchemaErrors } from '../support/report-schema.js';
import { spawnCapture } from '../support/spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));

interface Sweep {
  runs: Array<{ namespace: string; serviceAccount: string; mechanism?: string; report: Report }>;
  findings?: Finding[];
}

let s: AuditStack;
beforeAll(async () => {
  s = await startAuditStack({ kubelet: true });
  // Pod Identity only; both; an association whose ServiceAccount does not exist; one in another namespace.
  s.api.addServiceAccount(NS, 'pi-only');
  s.api.addServiceAccount(NS, 'both', { 'eks.amazonaws.com/role-arn': s.stack.roleArn });
  s.api.addServiceAccount(NS, 'plain');
  s.api.addNamespace('billing');
  s.api.addServiceAccount('billing', 'invoicer');
  for (const [namespace, serviceAccount] of [
    [NS, 'pi-only'],
    [NS, 'both'],
    [NS, 'gone'],
    ['billing', 'invoicer'],
  ] as const)
    s.cp.eks.addPodIdentityAssociation({
      clusterName: s.cp.clusterName!,
      namespace,
      serviceAccount,
      roleArn: s.stack.podIdentityRoleArn,
    });
});
afterAll(() => s?.close());

async function sweep(args: string[], env: Record<string, string | undefined> = s.cp.env) {
  return launch(['--all', ...args], env);
}

async function launch(args: string[], env: Record<string, string | undefined> = s.cp.env) {
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: s.dir,
    KUBECONFIG: s.kubeconfig,
    // A workstation without credentials must not wait for an instance metadata service.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) full[k] = v;
  const r = await spawnCapture(process.execPath, [CLI, 'run', ...args], {
    env: full,
    killAfterMs: 120_000,
  });
  return r;
}

function parsed(stdout: string): Sweep {
  const doc = JSON.parse(stdout) as Sweep;
  expect(sweepSchemaErrors(doc)).toEqual([]);
  for (const run of doc.runs) expect(schemaErrors(run.report)).toEqual([]);
  return doc;
}

const launcherCodes = (run: Sweep['runs'][number]) =>
  run.report.checks.find((c) => c.id === 'launcher')?.findings.map((f) => `${f.code}:${f.status}`) ?? [];

describe('run --all with EKS Pod Identity', () => {
  it('with AWS credentials: associated ServiceAccounts run too, each with its mechanism', async () => {
    const before = s.cp.eks.requests.length;
    const r = await sweep(['-n', NS, '-o', 'json', '--parallel', '4']);
    const doc = parsed(r.stdout);
    expect(doc.runs.map((x) => `${x.namespace}/${x.serviceAccount}:${x.mechanism}`)).toEqual([
      'camunda/both:irsa+pod-identity',
      'camunda/pi-only:pod-identity',
      `camunda/${SA}:irsa`,
    ]);
    expect(doc.findings ?? []).toEqual([]);
    const piOnly = doc.runs.find((x) => x.serviceAccount === 'pi-only')!;
    expect(launcherCodes(piOnly)).toContain('LAUNCH-SA-POD-IDENTITY:pass');
    expect(launcherCodes(piOnly).some((c) => c.startsWith('LAUNCH-SA-NOT-ANNOTATED'))).toBe(false);
    // The agent really ran for it (its own checks follow the launcher's).
    expect(piOnly.report.checks.length).toBeGreaterThan(1);
    const both = doc.runs.find((x) => x.serviceAccount === 'both')!;
    expect(launcherCodes(both)).toEqual(
      expect.arrayContaining(['LAUNCH-SA-OK:pass', 'LAUNCH-SA-POD-IDENTITY:pass']),
    );
    // EKS was asked with the operator's credentials: the association list once for the whole sweep.
    const calls = s.cp.eks.requests.slice(before).map((q) => `${q.operation}:${q.status}`);
    expect(calls.filter((c) => c.startsWith('ListPodIdentityAssociations'))).toEqual([
      'ListPodIdentityAssociations:200',
    ]);
    // Every Kubernetes call is one k8s/rbac.yaml grants.
    const role = rbacRules('rbac.yaml', 'Role', 'irsa-doctor-launcher');
    const cluster = rbacRules('rbac.yaml', 'ClusterRole', 'irsa-doctor-launcher-cluster');
    expect(
      s.api.requests.filter((q) => !rbacAllows(q.namespace ? role : cluster, q)).map((q) => q.path),
    ).toEqual([]);
    expect(s.api.jobs()).toEqual([]);
  }, 120_000);

  it('-o text: the table (last, after the reports) has a MECHANISM column', async () => {
    const r = await sweep(['-n', NS, '-o', 'text', '--parallel', '4']);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) =>
      /^NAMESPACE\/SERVICEACCOUNT\s+MECHANISM\s+VERDICT\s+FAIL\s+WARN\s+FIRST FAILING CODE$/.test(l),
    );
    expect(head).toBeGreaterThan(lines.lastIndexOf(`==== camunda/${SA}`));
    expect(lines[head + 1]).toMatch(/^camunda\/both\s+irsa\+pod-identity\s+/);
    expect(lines[head + 2]).toMatch(/^camunda\/pi-only\s+pod-identity\s+/);
    expect(lines[head + 3]).toMatch(/^camunda\/zeebe-sa\s+irsa\s+/);
  }, 120_000);

  it('-A: associations of every namespace count', async () => {
    const r = await sweep(['-A', '-o', 'json', '--parallel', '4']);
    const doc = parsed(r.stdout);
    expect(doc.runs.map((x) => `${x.namespace}/${x.serviceAccount}`)).toContain('billing/invoicer');
  }, 120_000);

  it('without AWS credentials: LAUNCH-POD-IDENTITY-UNLISTED says why, the annotated ServiceAccounts still run', async () => {
    const r = await sweep(['-n', NS, '-o', 'json'], {
      ...s.cp.env,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    const doc = parsed(r.stdout);
    expect(doc.runs.map((x) => x.serviceAccount)).toEqual(['both', SA]);
    const f = doc.findings?.find((x) => x.code === 'LAUNCH-POD-IDENTITY-UNLISTED');
    expect(f?.status).toBe('skip');
    expect(f?.details).toMatchObject({ reason: 'credentials' });
    expect(f?.message).toContain('were not listed');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('without a region: the same finding, reason no-region', async () => {
    const r = await sweep(['-n', NS, '-o', 'json'], {
      ...s.cp.env,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
    });
    const doc = parsed(r.stdout);
    expect(doc.findings?.find((x) => x.code === 'LAUNCH-POD-IDENTITY-UNLISTED')?.details).toMatchObject({
      reason: 'no-region',
    });
    expect(doc.runs.map((x) => x.serviceAccount)).toEqual(['both', SA]);
  }, 120_000);

  it('without eks:ListPodIdentityAssociations: reason access-denied, naming the action', async () => {
    s.cp.operator.revoke('eks:ListPodIdentityAssociations');
    try {
      const r = await sweep(['-n', NS, '-o', 'json']);
      const f = parsed(r.stdout).findings?.find((x) => x.code === 'LAUNCH-POD-IDENTITY-UNLISTED');
      expect(f?.details).toMatchObject({
        reason: 'access-denied',
        action: 'eks:ListPodIdentityAssociations',
      });
    } finally {
      s.cp.operator.grant('eks:ListPodIdentityAssociations');
    }
  }, 120_000);

  it('--cluster naming no cluster: reason cluster-not-found', async () => {
    const r = await sweep(['-n', NS, '-o', 'json', '--cluster', 'no-such-cluster']);
    const f = parsed(r.stdout).findings?.find((x) => x.code === 'LAUNCH-POD-IDENTITY-UNLISTED');
    expect(f?.details).toMatchObject({ reason: 'cluster-not-found' });
    expect(f?.message).toContain('no-such-cluster');
  }, 120_000);

  it('--audit --all: the audit and the sweep share one look at EKS', async () => {
    const before = s.cp.eks.requests.length;
    const r = await sweep(['-n', NS, '-o', 'json', '--audit', '--parallel', '4']);
    const doc = parsed(r.stdout);
    expect(doc.runs.map((x) => x.serviceAccount)).toEqual(['both', 'pi-only', SA]);
    for (const run of doc.runs) expect(run.report.checks.at(-1)?.id).toBe('audit');
    const ops = s.cp.eks.requests.slice(before).map((q) => q.operation);
    expect(ops.filter((o) => o === 'ListPodIdentityAssociations')).toHaveLength(1);
    expect(ops.filter((o) => o === 'ListClusters')).toHaveLength(1);
  }, 120_000);
});

describe('run -s of one ServiceAccount without a role-arn annotation', () => {
  // The loopback API server is no EKS endpoint and the kubeconfig runs no `aws eks get-token`, so the
  // cluster is named as on a private cluster reached through a tunnel.
  const one = async (
    sa: string,
    env?: Record<string, string | undefined>,
    args = ['--cluster', s.cp.clusterName!],
  ) => {
    const r = await launch(['-n', NS, '-s', sa, '-o', 'json', ...args], env);
    const report = JSON.parse(r.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const launcher = report.checks.find((c) => c.id === 'launcher')?.findings ?? [];
    return { r, report, launcher };
  };

  it('with a Pod Identity association: LAUNCH-SA-POD-IDENTITY passes, no annotation warning', async () => {
    const before = s.cp.eks.requests.length;
    const { launcher } = await one('pi-only');
    expect(launcher.map((f) => `${f.code}:${f.status}`)).toContain('LAUNCH-SA-POD-IDENTITY:pass');
    expect(launcher.find((f) => f.code === 'LAUNCH-SA-POD-IDENTITY')?.details).toMatchObject({
      podIdentityCluster: s.cp.clusterName,
    });
    expect(launcher.some((f) => f.code === 'LAUNCH-SA-NOT-ANNOTATED')).toBe(false);
    const ops = s.cp.eks.requests.slice(before).map((q) => `${q.operation}:${q.status}`);
    expect(ops).toContain('ListPodIdentityAssociations:200');
    expect(s.api.jobs()).toEqual([]);
  }, 120_000);

  it('without one: LAUNCH-SA-NOT-ANNOTATED warns and says EKS has no association either', async () => {
    const { launcher } = await one('plain');
    const f = launcher.find((x) => x.code === 'LAUNCH-SA-NOT-ANNOTATED');
    expect(f?.status).toBe('warn');
    expect(f?.message).toContain(`EKS cluster ${s.cp.clusterName} has no Pod Identity association`);
    expect(f?.details).toMatchObject({ podIdentityCluster: s.cp.clusterName });
  }, 120_000);

  it('without AWS credentials: the warning says EKS could not be asked, and why', async () => {
    const { r, launcher } = await one('plain', {
      ...s.cp.env,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    const f = launcher.find((x) => x.code === 'LAUNCH-SA-NOT-ANNOTATED');
    expect(f?.status).toBe('warn');
    expect(f?.message).toContain('EKS could not be asked');
    expect(f?.message).toMatch(/\(which needs no annotation\): .+\. The agent run shows which applies\.$/);
    expect(f?.details).toMatchObject({ podIdentityUnlisted: { reason: 'credentials' } });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('a kubeconfig that names no EKS cluster, without --cluster: EKS is not asked, the warning says why', async () => {
    const before = s.cp.eks.requests.length;
    const { launcher } = await one('plain', s.cp.env, []);
    const f = launcher.find((x) => x.code === 'LAUNCH-SA-NOT-ANNOTATED');
    expect(f?.status).toBe('warn');
    expect(f?.message).toContain('the kubeconfig names no EKS cluster');
    expect(f?.message).toContain('pass --cluster NAME');
    expect(f?.details).toMatchObject({ podIdentityUnlisted: { reason: 'cluster-not-found' } });
    expect(s.cp.eks.requests.slice(before)).toEqual([]);
  }, 120_000);

  it('an annotated ServiceAccount never makes the launcher ask EKS', async () => {
    const before = s.cp.eks.requests.length;
    const { launcher } = await one(SA, s.cp.env);
    expect(launcher.map((f) => `${f.code}:${f.status}`)).toContain('LAUNCH-SA-OK:pass');
    expect(s.cp.eks.requests.slice(before)).toEqual([]);
  }, 120_000);
});
