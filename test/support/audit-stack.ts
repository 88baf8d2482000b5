// The whole loopback world an audit reads: the identity side of an EKS cluster (issuer, IAM, STS), its
// Kubernetes API with the ServiceAccount under test, and the AWS control plane (IAM, EKS, RDS, OpenSearch,
// CloudTrail, EC2) the operator's credentials reach through AWS_ENDPOINT_URL_*.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/report/types.js';
import {
  type AwsControlPlane,
  type AwsControlPlaneOptions,
  startAwsControlPlane,
} from '../harness/aws/aws-control-plane.js';
import { type EksStack, type EksStackOptions, startEksStack } from '../harness/eks-stack.js';
import { type KubeApi, type KubeApiOptions, startKubeApi } from '../harness/kube-api.js';
import { eksPodRuntime } from '../harness/kubelet-eks.js';
import { reportProblems } from './report-schema.js';
import { spawnCapture } from './spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
export const NS = 'camunda';
export const SA = 'zeebe-sa';

export interface AuditStack {
  stack: EksStack;
  cp: AwsControlPlane;
  api: KubeApi;
  kubeconfig: string;
  dir: string;
  close(): Promise<void>;
}

export async function startAuditStack(
  o: {
    eks?: EksStackOptions;
    controlPlane?: Omit<AwsControlPlaneOptions, 'stack' | 'clusterEndpoint'>;
    /** a kubelet that runs the agent (the built CLI) for the Jobs of `run`, as eks-stack's pods */
    kubelet?: boolean;
    /** the cluster's nodes (default one unlabelled, untainted node) */
    nodes?: KubeApiOptions['nodes'];
    /** the built CLI the kubelet runs (default dist/irsa-doctor.mjs; a bundled caller says where it is) */
    cli?: string;
  } = {},
): Promise<AuditStack> {
  const stack = await startEksStack(o.eks);
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-audit-'));
  // TokenRequest (audit --assume) mints with the cluster's issuer, so STS verifies it like a pod's token.
  const api = await startKubeApi({
    ca: stack.ca,
    ...(o.kubelet ? { kubelet: { runtime: await eksPodRuntime(stack, o.cli ?? CLI) } } : {}),
    ...(o.nodes ? { nodes: o.nodes } : {}),
    tokenIssuer: (r) =>
      stack.issuer.mintToken({
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        audience: r.audiences,
        expiresInSeconds: r.expirationSeconds,
      }),
  });
  api.addNamespace(NS);
  api.addServiceAccount(NS, SA, { 'eks.amazonaws.com/role-arn': stack.roleArn });
  const cp = await startAwsControlPlane({ ...o.controlPlane, stack, clusterEndpoint: api.url });
  return {
    stack,
    cp,
    api,
    kubeconfig: api.writeKubeconfig(dir),
    dir,
    async close() {
      await cp.close();
      await api.close();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AuditRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  finding(code: string): Report['checks'][number]['findings'][number] | undefined;
  codes(checkId?: string): string[];
}

/** `irsa-doctor audit -o json ...` with only the control plane's env, the kubeconfig and PATH. */
export function spawnAudit(s: AuditStack, args: string[], env: Record<string, string> = {}) {
  return spawnCapture(process.execPath, [CLI, 'audit', '-o', 'json', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: s.dir,
      KUBECONFIG: s.kubeconfig,
      ...s.cp.env,
      ...env,
    },
    killAfterMs: 60_000,
  });
}

/** spawnAudit for one ServiceAccount, its report parsed and checked against the published schema. */
export async function runAudit(
  s: AuditStack,
  args: string[],
  env: Record<string, string> = {},
): Promise<AuditRun> {
  const r = await spawnAudit(s, args, env);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(
      `audit printed no JSON report (exit ${r.code}).\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
  assertHonestReport(report, r.stdout);
  const findings = report.checks.flatMap((c) => c.findings);
  return {
    ...r,
    report,
    finding: (code) => findings.find((f) => f.code === code),
    codes: (checkId) =>
      report.checks
        .filter((c) => checkId === undefined || c.id === checkId)
        .flatMap((c) => c.findings.map((f) => `${f.code}:${f.status}`)),
  };
}

export interface AuditSweepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  runs: Array<{ namespace: string; serviceAccount: string; report: Report }>;
}

/** `irsa-doctor audit -o json --all ...`: the sweep document, every report in it checked like runAudit's. */
export async function runAuditSweep(
  s: AuditStack,
  args: string[],
  env: Record<string, string> = {},
): Promise<AuditSweepRun> {
  const r = await spawnAudit(s, ['--all', ...args], env);
  let doc: { runs: AuditSweepRun['runs'] };
  try {
    doc = JSON.parse(r.stdout) as typeof doc;
  } catch {
    throw new Error(
      `audit printed no JSON sweep (exit ${r.code}).\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
  for (const run of doc.runs) assertHonestReport(run.report, r.stdout);
  return { ...r, runs: doc.runs };
}

/** Every real report honours the published schema, and every finding is one the catalog allows. */
function assertHonestReport(report: Report, stdout: string): void {
  const problems = reportProblems(report);
  if (problems.length) throw new Error(`${problems.join('\n')}\n${stdout}`);
}
