// `irsa-doctor audit` against the loopback AWS control plane and Kubernetes API: one failure mode per test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditStack, NS, runAudit, runAuditSweep, SA, startAuditStack } from '../support/audit-stack.js';

const RSS_PRELOAD = fileURLToPath(new URL('../support/max-rss-preload.mjs', import.meta.url));

let s: AuditStack;
beforeAll(async () => {
  s = await startAuditStack();
});
afterAll(() => s?.close());

const args = ['-n', NS, '-s', SA];

describe('audit: a healthy ServiceAccount', () => {
  it('finds the cluster, the provider and a trust policy that admits the ServiceAccount', async () => {
    const r = await runAudit(s, args);
    expect(r.codes('audit-serviceaccount')).toEqual(['SA-OK:pass']);
    expect(r.codes('audit-cluster')).toEqual(['EKS-CLUSTER:pass', 'IAM-OIDC-PROVIDER-OK:pass']);
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    expect(r.report.context).toMatchObject({
      namespace: NS,
      serviceAccount: SA,
      mechanism: 'irsa',
      roleArn: s.stack.roleArn,
    });
    expect(r.stdout).not.toContain(s.cp.operator.credentials.secretAccessKey);
  });
});

const restore = () => {
  s.stack.role.trustPolicy = s.stack.healthyTrustPolicy();
};

let typos = 0;
describe('audit: the ServiceAccount', () => {
  it('SA-MISSING for a ServiceAccount that does not exist', async () => {
    const r = await runAudit(s, ['-n', NS, '-s', 'nope']);
    expect(r.code).toBe(1);
    expect(r.codes('audit-serviceaccount')).toEqual(['SA-MISSING:fail']);
    expect(r.finding('SA-MISSING')?.remediation).toContain('kubectl create serviceaccount nope -n camunda');
  });

  it('SA-NOT-ANNOTATED without an annotation or a Pod Identity association', async () => {
    s.api.addServiceAccount(NS, 'plain');
    const r = await runAudit(s, ['-n', NS, '-s', 'plain']);
    expect(r.codes('audit-serviceaccount')).toEqual(['SA-NOT-ANNOTATED:fail']);
    expect(r.finding('SA-NOT-ANNOTATED')?.remediation).toContain(
      'kubectl annotate sa plain -n camunda eks.amazonaws.com/role-arn=',
    );
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-SKIPPED:skip']);
  });

  it.each([
    'eks.amazon.com/role-arn',
    'eks.amazonaws.com/role_arn',
    'eks.amazonaws.com/rolearn',
    'eks.amazonaws.com/roleArn',
  ])('SA-ANNOTATION-TYPO for %s, with the right key in the fix', async (key) => {
    const name = `typo-${++typos}`;
    s.api.addServiceAccount(NS, name, { [key]: s.stack.roleArn });
    const r = await runAudit(s, ['-n', NS, '-s', name]);
    expect(r.codes('audit-serviceaccount')).toEqual(['SA-ANNOTATION-TYPO:fail']);
    const fix = r.finding('SA-ANNOTATION-TYPO')?.remediation ?? '';
    expect(fix).toContain(`${key}- eks.amazonaws.com/role-arn=${s.stack.roleArn}`);
  });

  it('SA-ARN-INVALID for a malformed role ARN, with the corrected ARN', async () => {
    s.api.addServiceAccount(NS, 'badarn', {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam:::111122223333:role/irsa-doctor-app',
    });
    const r = await runAudit(s, ['-n', NS, '-s', 'badarn']);
    expect(r.codes('audit-serviceaccount')).toEqual(['SA-ARN-INVALID:fail']);
    expect(r.finding('SA-ARN-INVALID')?.remediation).toContain(
      'eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/irsa-doctor-app',
    );
  });

  it('SA-AUDIENCE (info) and IAM-OIDC-PROVIDER-AUDIENCE for an audience the provider lacks', async () => {
    s.api.addServiceAccount(NS, 'aud', {
      'eks.amazonaws.com/role-arn': s.stack.roleArn,
      'eks.amazonaws.com/audience': 'vault',
    });
    const r = await runAudit(s, ['-n', NS, '-s', 'aud']);
    expect(r.finding('SA-AUDIENCE')?.status).toBe('info');
    expect(r.finding('IAM-OIDC-PROVIDER-AUDIENCE')).toMatchObject({
      status: 'fail',
      details: { audience: 'vault' },
    });
    expect(r.finding('IAM-OIDC-PROVIDER-AUDIENCE')?.remediation).toContain('--client-id vault');
  });
});

describe('audit: pods already running', () => {
  const pod = (name: string, env: Record<string, string>, owner = 'zeebe-7d9f8c6b5') => ({
    metadata: {
      name,
      namespace: NS,
      labels: { 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: 'u', controller: true },
      ],
    },
    spec: {
      serviceAccountName: SA,
      containers: [
        { name: 'app', image: 'x', env: Object.entries(env).map(([n, value]) => ({ name: n, value })) },
      ],
    },
    status: { phase: 'Running' },
  });

  it('PODS-NONE, PODS-OK, then PODS-STALE-ROLE and PODS-NOT-MUTATED with the workload to restart', async () => {
    expect((await runAudit(s, args)).codes('audit-pods')).toEqual(['PODS-NONE:info']);
    s.api.store.create(
      'pods',
      pod('zeebe-7d9f8c6b5-aaaaa', { AWS_ROLE_ARN: s.stack.roleArn, AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }),
    );
    let r = await runAudit(s, args);
    expect(r.codes('audit-pods')).toEqual(['PODS-OK:pass']);
    s.api.store.create(
      'pods',
      pod('zeebe-7d9f8c6b5-bbbbb', { AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/old' }),
    );
    s.api.store.create('pods', pod('zeebe-7d9f8c6b5-ccccc', {}));
    r = await runAudit(s, args);
    expect(r.codes('audit-pods')).toEqual(['PODS-NOT-MUTATED:fail', 'PODS-STALE-ROLE:warn']);
    expect(r.finding('PODS-NOT-MUTATED')?.remediation).toContain(
      'kubectl rollout restart deployment/zeebe -n camunda',
    );
    expect(r.finding('PODS-STALE-ROLE')?.details?.pods).toEqual([
      { pod: 'zeebe-7d9f8c6b5-bbbbb', roleArn: 'arn:aws:iam::111122223333:role/old' },
    ]);
    for (const n of ['aaaaa', 'bbbbb', 'ccccc']) s.api.store.delete('pods', NS, `zeebe-7d9f8c6b5-${n}`);
  });
});

describe('audit: cluster and OIDC provider', () => {
  it('IAM-OIDC-THUMBPRINT: a stale thumbprint is information, not the cause', async () => {
    const provider = s.stack.iam.listOidcProviders()[0]!;
    const before = provider.thumbprints;
    provider.thumbprints = ['0123456789abcdef0123456789abcdef01234567'];
    try {
      // The workstation knows the issuer's root (as it knows Amazon's), so the chain is complete.
      const r = await runAudit(s, args, { NODE_EXTRA_CA_CERTS: s.stack.ca.caFile });
      expect(r.codes('audit-cluster')).toEqual([
        'EKS-CLUSTER:pass',
        'IAM-OIDC-PROVIDER-OK:pass',
        'IAM-OIDC-THUMBPRINT:info',
      ]);
      expect(r.finding('IAM-OIDC-THUMBPRINT')?.message).toContain('not what breaks IRSA');
      expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    } finally {
      provider.thumbprints = before;
    }
  });

  it('EKS-CLUSTER-NOT-FOUND for a cluster name that does not exist', async () => {
    const r = await runAudit(s, [...args, '--cluster', 'nope']);
    expect(r.codes('audit-cluster')).toEqual(['EKS-CLUSTER-NOT-FOUND:fail']);
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-SKIPPED:skip']);
  });

  it('IAM-OIDC-PROVIDER-MISSING with the create command for this issuer and account', async () => {
    const provider = s.stack.iam.findOidcProvider(s.stack.issuer.issuerHost)!;
    s.stack.iam.removeOidcProvider(s.stack.issuer.issuerHost);
    try {
      const r = await runAudit(s, args);
      expect(r.codes('audit-cluster')).toEqual(['EKS-CLUSTER:pass', 'IAM-OIDC-PROVIDER-MISSING:fail']);
      expect(r.finding('IAM-OIDC-PROVIDER-MISSING')?.remediation).toContain(
        `aws iam create-open-id-connect-provider --url ${s.stack.issuer.issuerUrl} --client-id-list sts.amazonaws.com`,
      );
    } finally {
      s.stack.iam.addOidcProvider(provider);
    }
  });
});

describe('audit: trust policy', () => {
  const host = () => s.stack.issuer.issuerHost;
  const statement = (
    condition: Record<string, unknown>,
    federated = s.stack.iam.oidcProviderArn(host()),
  ) => ({
    Effect: 'Allow' as const,
    Principal: { Federated: federated },
    Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: condition as Record<string, Record<string, string>>,
  });

  it('IAM-TRUST-MISMATCH names the closest statement and the failing condition, and prints the statement to add', async () => {
    s.stack.role.trustPolicy = {
      Version: '2012-10-17',
      Statement: [
        statement({
          StringEquals: {
            [`${host()}:sub`]: 'system:serviceaccount:camunda:operate-sa',
            [`${host()}:aud`]: 'sts.amazonaws.com',
          },
        }),
      ],
    };
    try {
      const r = await runAudit(s, args);
      const f = r.finding('IAM-TRUST-MISMATCH');
      expect(f?.status).toBe('fail');
      expect(f?.details?.closest).toMatchObject({
        statement: 'statement 1',
        failed: [
          {
            part: 'condition',
            key: `${host()}:sub`,
            expected: ['system:serviceaccount:camunda:operate-sa'],
            observed: ['system:serviceaccount:camunda:zeebe-sa'],
          },
        ],
      });
      expect(f?.remediation).toContain('"system:serviceaccount:camunda:zeebe-sa"');
      expect(f?.remediation).toContain('aws iam update-assume-role-policy --role-name irsa-doctor-app');
    } finally {
      restore();
    }
  });

  it('IAM-TRUST-WILDCARD for * under StringEquals', async () => {
    s.stack.role.trustPolicy = {
      Statement: [statement({ StringEquals: { [`${host()}:sub`]: 'system:serviceaccount:camunda:*' } })],
    };
    try {
      const r = await runAudit(s, args);
      expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-WILDCARD:fail']);
      expect(r.finding('IAM-TRUST-WILDCARD')?.details).toMatchObject({
        value: 'system:serviceaccount:camunda:*',
      });
    } finally {
      restore();
    }
  });

  it('IAM-TRUST-OK with StringLike, a list of values, and the Action as a list', async () => {
    s.stack.role.trustPolicy = {
      Statement: [
        statement({
          StringLike: {
            [`${host()}:sub`]: ['system:serviceaccount:other:*', 'system:serviceaccount:camunda:*'],
          },
          StringEquals: { [`${host()}:aud`]: 'sts.amazonaws.com' },
        }),
      ],
    };
    try {
      const r = await runAudit(s, args);
      expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    } finally {
      restore();
    }
  });

  it("IAM-TRUST-OTHER-ISSUER when the statement names a recreated cluster's provider", async () => {
    const old = 'oidc.eks.eu-west-1.amazonaws.com/id/OLDCLUSTER0000';
    s.stack.role.trustPolicy = {
      Statement: [
        statement(
          {
            StringEquals: {
              [`${old}:sub`]: 'system:serviceaccount:camunda:zeebe-sa',
              [`${old}:aud`]: 'sts.amazonaws.com',
            },
          },
          s.stack.iam.oidcProviderArn(old),
        ),
      ],
    };
    try {
      const r = await runAudit(s, args);
      expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OTHER-ISSUER:fail']);
      expect(r.finding('IAM-TRUST-OTHER-ISSUER')?.remediation).toContain(s.stack.iam.oidcProviderArn(host()));
    } finally {
      restore();
    }
  });

  it('IAM-TRUST-MISMATCH for an explicit Deny', async () => {
    s.stack.role.trustPolicy = {
      Statement: [
        ...s.stack.healthyTrustPolicy().Statement,
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${host()}:sub`]: '*:camunda:*' } },
        },
      ],
    };
    try {
      const r = await runAudit(s, args);
      expect(r.finding('IAM-TRUST-MISMATCH')?.details).toMatchObject({ deniedBy: 'statement 2' });
    } finally {
      restore();
    }
  });

  it('IAM-ROLE-MISSING for a role that does not exist, and a role path is the same role', async () => {
    s.api.addServiceAccount(NS, 'ghost', {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/does-not-exist',
    });
    let r = await runAudit(s, ['-n', NS, '-s', 'ghost']);
    expect(r.codes('audit-trust')).toEqual(['IAM-ROLE-MISSING:fail']);
    expect(r.finding('IAM-ROLE-MISSING')?.remediation).toContain('"system:serviceaccount:camunda:ghost"');
    const withPath = s.stack.iam.roleArn('app-with-path', '/team/apps/');
    s.stack.iam.addRole({
      arn: withPath,
      trustPolicy: {
        Statement: [
          statement({ StringEquals: { [`${host()}:sub`]: 'system:serviceaccount:camunda:pathy' } }),
        ],
      },
      policies: [],
    });
    s.api.addServiceAccount(NS, 'pathy', { 'eks.amazonaws.com/role-arn': withPath });
    r = await runAudit(s, ['-n', NS, '-s', 'pathy']);
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
  });

  it('IAM-ROLE-OTHER-ACCOUNT (skip) for a role in an account these credentials cannot read', async () => {
    s.api.addServiceAccount(NS, 'elsewhere', {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::999988887777:role/app',
    });
    const r = await runAudit(s, ['-n', NS, '-s', 'elsewhere']);
    expect(r.codes('audit-trust')).toEqual(['IAM-ROLE-OTHER-ACCOUNT:skip']);
  });
});

describe('audit: the operator and the AWS endpoints', () => {
  it('an operator without iam:GetRole gets a skip naming the action, never a verdict', async () => {
    s.cp.operator.revoke('iam:GetRole');
    try {
      const r = await runAudit(s, args);
      expect(r.codes('audit-trust')).toEqual(['AUDIT-AWS-DENIED:skip']);
      expect(r.finding('AUDIT-AWS-DENIED')?.details).toMatchObject({ action: 'iam:GetRole' });
    } finally {
      s.cp.operator.grant('iam:GetRole');
    }
  });

  it('no operator credentials: AUDIT-AWS-CREDENTIALS, and a canary secret key is never printed', async () => {
    const canary = 'CANARYsecretKEY0123456789abcdefghijklmnopq';
    const r = await runAudit(s, args, {
      AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000',
      AWS_SECRET_ACCESS_KEY: canary,
    });
    expect(r.code).toBe(1);
    expect(r.codes('audit-cluster')).toEqual(['AUDIT-AWS-CREDENTIALS:fail']);
    expect(`${r.stdout}${r.stderr}`).not.toContain(canary);
  });

  it('an EKS endpoint that answers 60 MB is a finding, read no further than the cap', async () => {
    const big = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'A');
      let sent = 0;
      const pump = () => {
        while (sent < 60 && res.write(chunk)) sent++;
        if (sent >= 60) res.end();
        else res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-rss-'));
    const peakMib = async (env: Record<string, string>) => {
      const rssFile = join(dir, `rss-${Object.keys(env).length}.json`);
      const r = await runAudit(s, args, {
        ...env,
        NODE_OPTIONS: `--import=${RSS_PRELOAD}`,
        IRSA_TEST_MAX_RSS_FILE: rssFile,
      });
      return { r, mib: (JSON.parse(readFileSync(rssFile, 'utf8')) as { peakKib: number }).peakKib / 1024 };
    };
    try {
      const { port } = big.address() as AddressInfo;
      // The same audit against the real emulator: what the audit costs anyway (seven SDK clients).
      const baseline = await peakMib({});
      const { r, mib } = await peakMib({ AWS_ENDPOINT_URL_EKS: `http://127.0.0.1:${port}` });
      expect(r.codes('audit-cluster')).toEqual(['AUDIT-AWS-ERROR:fail']);
      expect(r.finding('AUDIT-AWS-ERROR')?.message).toContain('larger than 16 MiB');
      expect(r.report.checks.every((c) => c.status !== 'error')).toBe(true);
      // Read to the 16 MiB cap and dropped; reading the whole 60 MB would cost well over 100 MB more.
      expect(mib - baseline.mib).toBeLessThan(48);
    } finally {
      big.closeAllConnections();
      big.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a blackholed IAM endpoint is a finding within --timeout', async () => {
    await s.cp.blackhole('iam');
    try {
      const t0 = Date.now();
      const r = await runAudit(s, [...args, '--timeout', '4']);
      // The deadline is kept inside the process; the wall time only guards against a hang (it also pays
      // for starting Node, which takes seconds on a loaded CI machine).
      expect(r.report.durationMs).toBeLessThan(4000 + 1000);
      expect(Date.now() - t0).toBeLessThan(4000 + 15_000);
      expect(r.codes('audit-cluster')).toContain('AUDIT-AWS-UNREACHABLE:fail');
      expect(r.report.checks.every((c) => c.status !== 'error')).toBe(true);
    } finally {
      s.cp.restore('iam');
    }
  });
});

describe('audit: a Kubernetes API that stops answering', () => {
  it('AUDIT-KUBE-ERROR when listing the pods never answers, within --timeout', async () => {
    const ns = 'wedged';
    s.api.addNamespace(ns);
    s.api.addServiceAccount(ns, SA, { 'eks.amazonaws.com/role-arn': s.stack.roleArn });
    s.api.stall({ verb: 'list', resource: 'pods', namespace: ns });
    const r = await runAudit(s, ['-n', ns, '-s', SA, '--timeout', '4']);
    expect(r.codes('audit-pods')).toEqual(['AUDIT-KUBE-ERROR:fail']);
    expect(r.finding('AUDIT-KUBE-ERROR')?.message).toContain('pods');
    expect(r.report.durationMs).toBeLessThan(4000 + 1000);
    expect(r.report.checks.every((c) => c.status !== 'error')).toBe(true);
  });
});

describe('audit --all', () => {
  it('audits every ServiceAccount with a role annotation in the namespace, sharing the AWS reads', async () => {
    const ns = 'sweep';
    s.api.addNamespace(ns);
    const host = s.stack.issuer.issuerHost;
    for (const name of ['a', 'b', 'c']) {
      const arn = s.stack.iam.roleArn(`sweep-${name}`);
      s.stack.iam.addRole({
        arn,
        trustPolicy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: s.stack.iam.oidcProviderArn(host) },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${host}:sub`]: `system:serviceaccount:${ns}:${name}`,
                  [`${host}:aud`]: 'sts.amazonaws.com',
                },
              },
            },
          ],
        },
        policies: [],
      });
      s.api.addServiceAccount(ns, name, { 'eks.amazonaws.com/role-arn': arn });
    }
    s.api.addServiceAccount(ns, 'no-role');
    const before = s.cp.eks.requests.filter((q) => q.operation === 'DescribeCluster').length;
    const doc = await runAuditSweep(s, ['-n', ns]);
    expect(doc.runs.map((x) => x.serviceAccount)).toEqual(['a', 'b', 'c']);
    for (const run of doc.runs)
      expect(run.report.checks.find((c) => c.id === 'audit-trust')?.findings.map((f) => f.code)).toEqual([
        'IAM-TRUST-OK',
      ]);
    // One DescribeCluster for the whole sweep, not one per ServiceAccount.
    expect(s.cp.eks.requests.filter((q) => q.operation === 'DescribeCluster').length - before).toBe(1);
    expect(doc.code).toBe(0);
  });
});
