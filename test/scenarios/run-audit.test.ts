// `irsa-doctor run --audit`: the Job's report and the audit of the same ServiceAccount in one report, on
// one loopback world where the agent's STS and the audit's IAM are the same account.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { type AuditStack, NS, SA, startAuditStack } from '../support/audit-stack.js';
import { reportProblems } from '../support/report-schema.js';
import { spawnCapture } from '../support/spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));

let s: AuditStack;
beforeAll(async () => {
  s = await startAuditStack({ kubelet: true });
});
afterAll(() => s?.close());

function spawnRun(args: string[], o: { omit?: string[] } = {}) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: s.dir,
    KUBECONFIG: s.kubeconfig,
    ...s.cp.env,
  };
  for (const name of o.omit ?? []) delete env[name];
  return spawnCapture(process.execPath, [CLI, 'run', '-o', 'json', ...args], { env, killAfterMs: 120_000 });
}

function honest(report: Report): Report {
  expect(reportProblems(report)).toEqual([]);
  return report;
}

const codes = (report: Report, id: string) =>
  report.checks.find((c) => c.id === id)?.findings.map((f) => `${f.code}:${f.status}`) ?? [];

describe('run --audit', () => {
  it('healthy: the pod reaches STS, and the audit check at the end says why the AWS side lets it', async () => {
    const r = await spawnRun(['-n', NS, '-s', SA, '--audit']);
    const report = honest(JSON.parse(r.stdout) as Report);
    expect(report.checks[0]?.id).toBe('launcher');
    expect(report.checks.at(-1)?.id).toBe('audit');
    expect(codes(report, 'sts')).toContain('STS-OK:pass');
    expect(codes(report, 'audit')).toEqual(
      expect.arrayContaining([
        'SA-OK:pass',
        'EKS-CLUSTER:pass',
        'IAM-OIDC-PROVIDER-OK:pass',
        'IAM-TRUST-OK:pass',
      ]),
    );
    expect(report.verdict).not.toBe('fail');
    expect(r.code).toBe(0);
    // The operator's keys never reach the output, nor the pod.
    expect(r.stdout + r.stderr).not.toContain(s.cp.operator.credentials.secretAccessKey);
    expect(s.api.jobs()).toEqual([]);
  });

  it('the pod fails STS-TRUST-POLICY and the audit names the statement and the condition that refused it', async () => {
    const host = s.stack.issuer.issuerHost;
    s.stack.role.trustPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: s.stack.iam.oidcProviderArn(host) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${host}:sub`]: 'system:serviceaccount:camunda:operate-sa' } },
        },
      ],
    };
    try {
      const r = await spawnRun(['-n', NS, '-s', SA, '--audit']);
      const report = honest(JSON.parse(r.stdout) as Report);
      expect(codes(report, 'sts')).toContain('STS-TRUST-POLICY:fail');
      const mismatch = report.checks.at(-1)?.findings.find((f) => f.code === 'IAM-TRUST-MISMATCH');
      expect(mismatch?.status).toBe('fail');
      expect(mismatch?.details?.closest).toMatchObject({
        failed: [
          { part: 'condition', key: `${host}:sub`, observed: ['system:serviceaccount:camunda:zeebe-sa'] },
        ],
      });
      expect(mismatch?.remediation).toContain('"system:serviceaccount:camunda:zeebe-sa"');
      expect(report.verdict).toBe('fail');
      expect(r.code).toBe(1);
    } finally {
      s.stack.role.trustPolicy = s.stack.healthyTrustPolicy();
    }
  });

  it('--all --audit: every report of the sweep carries its audit, and the AWS reads are shared', async () => {
    const describes = () => s.cp.eks.requests.filter((q) => q.operation === 'DescribeCluster').length;
    const before = describes();
    const r = await spawnRun(['-n', NS, '--all', '--audit']);
    const doc = JSON.parse(r.stdout) as { runs: Array<{ serviceAccount: string; report: Report }> };
    expect(doc.runs.map((x) => x.serviceAccount)).toEqual([SA]);
    for (const run of doc.runs) {
      honest(run.report);
      expect(codes(run.report, 'audit')).toContain('IAM-TRUST-OK:pass');
    }
    expect(describes() - before).toBe(1);
    expect(r.code).toBe(0);
  });

  it('without an AWS region anywhere, run --audit is a usage error before any Job', async () => {
    const jobsBefore = s.api.requests.filter((q) => q.verb === 'create' && q.resource === 'jobs').length;
    const r = await spawnRun(['-n', NS, '-s', SA, '--audit'], { omit: ['AWS_REGION', 'AWS_DEFAULT_REGION'] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run --audit needs an AWS region');
    expect(s.api.requests.filter((q) => q.verb === 'create' && q.resource === 'jobs').length).toBe(
      jobsBefore,
    );
  });
});
