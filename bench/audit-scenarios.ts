// `irsa-doctor audit --all` over namespaces of 1, 20 and 200 ServiceAccounts on the loopback control
// plane: the reads every ServiceAccount shares (DescribeCluster, the OIDC provider, each role) are made
// once, so the cost per ServiceAccount is what is left: its own ServiceAccount and pods reads and checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsControlPlane, startAwsControlPlane } from '../test/harness/aws/aws-control-plane.js';
import type { EksStack } from '../test/harness/eks-stack.js';
import { type KubeApi, startKubeApi } from '../test/harness/kube-api.js';
import { measureNode, type RssProbe } from './measure-process.js';
import type { RunOutcome, Scenario } from './scenario.js';

export const AUDIT_SIZES = [1, 20, 200] as const;

export interface AuditBench {
  scenarios: Scenario[];
  close(): Promise<void>;
}

export async function auditScenarios(eks: EksStack, probe: RssProbe, runs: number): Promise<AuditBench> {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-bench-audit-'));
  const api: KubeApi = await startKubeApi({ ca: eks.ca });
  const cp: AwsControlPlane = await startAwsControlPlane({ stack: eks, clusterEndpoint: api.url });
  const host = eks.issuer.issuerHost;
  for (const n of AUDIT_SIZES) {
    const ns = `bench-${n}`;
    api.addNamespace(ns);
    // Ten roles shared by the ServiceAccounts, as teams share roles: the audit reads each role once.
    for (let i = 0; i < n; i++) {
      const name = `sa-${i}`;
      const arn = eks.iam.roleArn(`bench-${n}-${i % 10}`);
      if (!eks.iam.getRole(arn))
        eks.iam.addRole({
          arn,
          trustPolicy: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: eks.iam.oidcProviderArn(host) },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringLike: { [`${host}:sub`]: `system:serviceaccount:${ns}:*` },
                  StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
                },
              },
            ],
          },
          policies: [],
        });
      api.addServiceAccount(ns, name, { 'eks.amazonaws.com/role-arn': arn });
    }
  }
  const kubeconfig = api.writeKubeconfig(dir);
  const services = [cp.iamApi, cp.eks, cp.rds, cp.openSearch, cp.cloudTrail, cp.ec2] as const;
  const scenarios = AUDIT_SIZES.map(
    (n): Scenario => ({
      id: `audit-all-${n}`,
      title: `\`irsa-doctor audit -n bench-${n} --all\`, ${n} ServiceAccount${n === 1 ? '' : 's'}`,
      runs,
      warmup: 1,
      targets: n === 200 ? [{ kind: 'wall', ms: 10_000 }] : [],
      describe:
        'Each ServiceAccount annotated with one of ten roles whose trust policy admits it; the operator may read everything. Notes count the AWS API calls of one run.',
      once: async (): Promise<RunOutcome> => {
        const before = services.map((s) => s.requests.length);
        const sample = await measureNode(
          probe,
          ['dist/irsa-doctor.mjs', 'audit', '-n', `bench-${n}`, '--all', '-o', 'json'],
          {
            env: { KUBECONFIG: kubeconfig, HOME: dir, ...cp.env },
            killAfterMs: 120_000,
          },
        );
        const calls = services.map((s, i) => s.requests.slice(before[i]).length);
        const named = ['iam', 'eks', 'rds', 'opensearch', 'cloudtrail', 'ec2'];
        let problem: string | undefined;
        try {
          const doc = JSON.parse(sample.stdout) as { runs: Array<{ report: { verdict: string } }> };
          if (doc.runs.length !== n) problem = `${doc.runs.length} ServiceAccounts audited, not ${n}`;
          else if (doc.runs.some((r) => r.report.verdict === 'fail'))
            problem = 'a ServiceAccount failed the audit';
        } catch {
          problem = `no JSON (exit ${sample.code}): ${sample.stderr.split('\n')[0] ?? ''}`;
        }
        return {
          sample,
          ...(problem ? { problem } : {}),
          notes: [`AWS calls per run: ${named.map((s, i) => `${s} ${calls[i]}`).join(', ')}`],
        };
      },
    }),
  );
  return {
    scenarios,
    async close() {
      await cp.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
