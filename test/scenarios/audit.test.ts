// `irsa-doctor audit` against the loopback AWS control plane and Kubernetes API: one failure mode per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditStack, NS, runAudit, SA, startAuditStack } from '../support/audit-stack.js';

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
