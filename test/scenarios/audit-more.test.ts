// `irsa-doctor audit`: EKS Pod Identity, the nodes' IMDS settings, CloudTrail's refused exchanges and
// --assume, against the loopback control plane and Kubernetes API. One failure mode per test.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webIdentityEvent } from '../harness/aws/cloudtrail-api.js';
import type { WebIdentityCall } from '../harness/sts.js';
import { type AuditStack, NS, runAudit, runAuditSweep, SA, startAuditStack } from '../support/audit-stack.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';

/** The one node the loopback API starts with; the tests give it the providerID of the stack's instance. */
const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const TOKEN_PATH = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';

let s: AuditStack;
/** A second cluster whose node has the AL2023 default: IMDSv2 required, hop limit 2. RBAC is cut last. */
let v2: AuditStack;
beforeAll(async () => {
  [s, v2] = await Promise.all([
    startAuditStack(),
    startAuditStack({ controlPlane: { nodeImdsMode: 'v2-only' } }),
  ]);
  for (const x of [s, v2])
    x.api.store.update('nodes', undefined, NODE, (o) => {
      o.spec.providerID = x.cp.node!.providerId;
    });
});
afterAll(async () => {
  await Promise.all([s?.close(), v2?.close()]);
});

const args = (sa = SA) => ['-n', NS, '-s', sa];

/** `audit --all -o json`: the sweep document, each run's report checked against the schema. */
/** A running pod of a Deployment, as the webhook left it (IRSA env by default). */
function addPod(
  x: AuditStack,
  name: string,
  o: { sa?: string; node?: string | null; env?: Record<string, string>; deployment?: string } = {},
): () => void {
  const deployment = o.deployment ?? 'zeebe';
  const env = o.env ?? { AWS_ROLE_ARN: x.stack.roleArn, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN_PATH };
  x.api.store.create('pods', {
    metadata: {
      name,
      namespace: NS,
      labels: { 'pod-template-hash': '5d8f7c9b4' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${deployment}-5d8f7c9b4`,
          uid: randomUUID(),
          controller: true,
        },
      ],
    },
    spec: {
      serviceAccountName: o.sa ?? SA,
      ...(o.node === null ? {} : { nodeName: o.node ?? NODE }),
      containers: [
        {
          name: 'app',
          image: 'camunda/zeebe:8.7.0',
          env: Object.entries(env).map(([k, value]) => ({ name: k, value })),
        },
      ],
    },
    status: { phase: o.node === null ? 'Pending' : 'Running' },
  });
  return () => x.api.store.delete('pods', NS, name);
}

function associate(x: AuditStack, serviceAccount: string, roleArn: string): () => void {
  const a = x.cp.eks.addPodIdentityAssociation({
    clusterName: x.cp.clusterName!,
    namespace: NS,
    serviceAccount,
    roleArn,
  });
  return () => x.cp.eks.associations.delete(a.associationId);
}

describe('audit-pod-identity', () => {
  it('PODID-NONE: an IRSA ServiceAccount without an association says so and skips', async () => {
    const r = await runAudit(s, args());
    expect(r.codes('audit-pod-identity')).toEqual(['PODID-NONE:skip']);
  });

  it('PODID-ASSOCIATION and PODID-TRUST-OK: the associated role trusts pods.eks.amazonaws.com for both actions', async () => {
    s.api.addServiceAccount(NS, 'pi-ok');
    const undo = associate(s, 'pi-ok', s.stack.podIdentityRoleArn);
    try {
      const r = await runAudit(s, args('pi-ok'));
      expect(r.codes('audit-pod-identity')).toEqual(['PODID-ASSOCIATION:info', 'PODID-TRUST-OK:pass']);
      expect(r.finding('PODID-ASSOCIATION')?.message).toContain(s.stack.podIdentityRoleArn);
      expect(r.finding('PODID-TRUST-OK')?.message).toMatch(/sts:AssumeRole .* and sts:TagSession/);
      expect(r.report.context).toMatchObject({
        mechanism: 'pod-identity',
        roleArn: s.stack.podIdentityRoleArn,
      });
      expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-SKIPPED:skip']);
    } finally {
      undo();
    }
  });

  it('PODID-TRUST: an association whose role trusts only IRSA fails, naming both refused actions and the fix', async () => {
    s.api.addServiceAccount(NS, 'pi-irsa-role');
    const undo = associate(s, 'pi-irsa-role', s.stack.roleArn);
    try {
      const r = await runAudit(s, args('pi-irsa-role'));
      expect(r.codes('audit-pod-identity')).toEqual(['PODID-ASSOCIATION:info', 'PODID-TRUST:fail']);
      const f = r.finding('PODID-TRUST')!;
      expect(f.message).toContain('no statement allows sts:AssumeRole');
      expect(f.message).toContain('no statement allows sts:TagSession');
      expect(f.message).toContain('its principal is not the service pods.eks.amazonaws.com');
      expect(f.remediation).toContain('aws iam update-assume-role-policy --role-name irsa-doctor-app');
      expect(f.remediation).toContain('"Principal":{"Service":"pods.eks.amazonaws.com"}');
      expect(r.code).toBe(1);
    } finally {
      undo();
    }
  });

  it('PODID-TRUST: sts:AssumeRole alone is not enough, TagSession is named', async () => {
    const arn = s.stack.iam.roleArn('pod-identity-no-tags');
    s.stack.iam.addRole({
      arn,
      trustPolicy: {
        Statement: [
          {
            Sid: 'EksPods',
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      policies: [],
    });
    s.api.addServiceAccount(NS, 'pi-no-tags');
    const undo = associate(s, 'pi-no-tags', arn);
    try {
      const r = await runAudit(s, args('pi-no-tags'));
      expect(r.codes('audit-pod-identity')).toEqual(['PODID-ASSOCIATION:info', 'PODID-TRUST:fail']);
      const f = r.finding('PODID-TRUST')!;
      expect(f.message).not.toContain('allows sts:AssumeRole ');
      expect(f.message).toContain(
        'no statement allows sts:TagSession (closest is Sid "EksPods", where its Action does not cover it)',
      );
    } finally {
      undo();
    }
  });

  it('PODID-ROLE-MISSING: the association names a role that does not exist', async () => {
    s.api.addServiceAccount(NS, 'pi-gone');
    const gone = s.stack.iam.roleArn('deleted-pod-role');
    const undo = associate(s, 'pi-gone', gone);
    try {
      const r = await runAudit(s, args('pi-gone'));
      expect(r.codes('audit-pod-identity')).toEqual(['PODID-ASSOCIATION:info', 'PODID-ROLE-MISSING:fail']);
      expect(r.finding('PODID-ROLE-MISSING')?.remediation).toContain(
        `aws eks update-pod-identity-association --cluster-name ${s.cp.clusterName}`,
      );
    } finally {
      undo();
    }
  });

  it('MECHANISM-BOTH: annotation and association on one ServiceAccount, with which role the running pods use', async () => {
    const undo = associate(s, SA, s.stack.podIdentityRoleArn);
    const removePod = addPod(s, 'zeebe-5d8f7c9b4-aaaaa');
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-pod-identity')).toEqual([
        'PODID-ASSOCIATION:info',
        'PODID-TRUST-OK:pass',
        'MECHANISM-BOTH:warn',
      ]);
      const f = r.finding('MECHANISM-BOTH')!;
      expect(f.message).toContain('reads the web identity token file before container credentials');
      expect(f.message).toContain('EKS skips the IRSA injection');
      expect(f.message).toContain(`1 pod(s) with the web identity token (they use ${s.stack.roleArn})`);
      const associationId = [...s.cp.eks.associations.values()].find(
        (a) => a.serviceAccount === SA,
      )!.associationId;
      expect(f.remediation).toContain(`--association-id ${associationId}`);
      expect(f.remediation).toContain(`kubectl rollout restart deployment/zeebe -n ${NS}`);
      expect(r.report.context.mechanism).toBe('both');
    } finally {
      removePod();
      undo();
    }
  });
});

describe('audit-nodes', () => {
  it('NODES-NONE: no pod runs as the ServiceAccount (and EC2 is not asked)', async () => {
    const before = s.cp.ec2.requests.length;
    const r = await runAudit(s, args());
    expect(r.codes('audit-nodes')).toEqual(['NODES-NONE:skip']);
    expect(s.cp.ec2.requests.length).toBe(before);
  });

  it('NODES-IMDSV1: the node answers IMDSv1 (HttpTokens optional, the hop-limit mode)', async () => {
    const removePod = addPod(s, 'zeebe-5d8f7c9b4-bbbbb');
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-nodes')).toEqual(['NODES-IMDSV1:warn']);
      const f = r.finding('NODES-IMDSV1')!;
      expect(f.message).toContain(`${s.cp.node!.instanceId} (node ${NODE})`);
      expect(f.remediation).toContain(
        `--http-tokens required --http-put-response-hop-limit 1\` for ${s.cp.node!.instanceId}`,
      );
    } finally {
      removePod();
    }
  });

  it('NODES-IMDS-HOP-LIMIT: IMDSv2 required but hop limit 2 (the v2-only node of another cluster)', async () => {
    const removePod = addPod(v2, 'zeebe-5d8f7c9b4-ccccc');
    try {
      const r = await runAudit(v2, args());
      expect(r.codes('audit-nodes')).toEqual(['NODES-IMDS-HOP-LIMIT:warn']);
      expect(r.finding('NODES-IMDS-HOP-LIMIT')?.message).toContain('hop limit 2');
      expect(r.finding('NODES-IMDS-HOP-LIMIT')?.remediation).toContain(v2.cp.node!.instanceId);
    } finally {
      removePod();
    }
  });

  it('NODES-OK: IMDSv2 required with hop limit 1', async () => {
    const node = s.cp.node!;
    const before = { ...node.metadataOptions };
    node.metadataOptions = { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' };
    const removePod = addPod(s, 'zeebe-5d8f7c9b4-ddddd');
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-nodes')).toEqual(['NODES-OK:pass']);
    } finally {
      removePod();
      node.metadataOptions = before;
    }
  });

  it('NODES-NONE: a pod on a Fargate node has no instance to look at; a pending pod has no node', async () => {
    const fargate = 'fargate-ip-10-0-7-12.eu-west-1.compute.internal';
    s.api.store.create('nodes', {
      metadata: { name: fargate, labels: { 'eks.amazonaws.com/compute-type': 'fargate' } },
      spec: { providerID: `aws:///eu-west-1a/2d0b4a0f7e/${fargate}` },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    let removePod = addPod(s, 'zeebe-5d8f7c9b4-eeeee', { node: fargate });
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-nodes')).toEqual(['NODES-NONE:skip']);
      expect(r.finding('NODES-NONE')?.message).toContain(fargate);
      removePod();
      removePod = addPod(s, 'zeebe-5d8f7c9b4-fffff', { node: null });
      const pending = await runAudit(s, args());
      expect(pending.codes('audit-nodes')).toEqual(['NODES-NONE:skip']);
      expect(pending.finding('NODES-NONE')?.message).toContain('all pending');
    } finally {
      removePod();
      s.api.store.delete('nodes', undefined, fargate);
    }
  });

  it('one node list and one DescribeInstances for every ServiceAccount of a sweep', async () => {
    s.api.addServiceAccount(NS, 'operate', { 'eks.amazonaws.com/role-arn': s.stack.roleArn });
    const undo = [
      addPod(s, 'zeebe-5d8f7c9b4-ggggg'),
      addPod(s, 'operate-5d8f7c9b4-hhhhh', { sa: 'operate', deployment: 'operate' }),
    ];
    const ec2Before = s.cp.ec2.requests.length;
    const trailBefore = s.cp.cloudTrail.requests.length;
    const nodesBefore = s.api.requests.filter((q) => q.resource === 'nodes').length;
    try {
      const { runs } = await runAuditSweep(s, ['-n', NS]);
      expect(runs.map((x) => x.serviceAccount)).toEqual(['operate', SA]);
      for (const x of runs)
        expect(x.report.checks.find((c) => c.id === 'audit-nodes')?.findings.map((f) => f.code)).toEqual([
          'NODES-IMDSV1',
        ]);
      expect(s.cp.ec2.requests.length - ec2Before).toBe(1);
      expect(s.cp.cloudTrail.requests.length - trailBefore).toBe(1);
      expect(s.api.requests.filter((q) => q.resource === 'nodes').length - nodesBefore).toBe(1);
    } finally {
      for (const u of undo) u();
      s.api.store.delete('serviceaccounts', NS, 'operate');
    }
  });

  it('AUDIT-AWS-DENIED: an operator without ec2:DescribeInstances gets a skip naming it', async () => {
    s.cp.operator.revoke('ec2:DescribeInstances');
    const removePod = addPod(s, 'zeebe-5d8f7c9b4-iiiii');
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-nodes')).toEqual(['AUDIT-AWS-DENIED:skip']);
      expect(r.finding('AUDIT-AWS-DENIED')?.message).toContain('needs ec2:DescribeInstances');
    } finally {
      removePod();
      s.cp.operator.grant('ec2:DescribeInstances');
    }
  });
});

/** AssumeRoleWithWebIdentity straight at the STS emulator, as a pod's SDK would send it. */
async function assumeAtSts(x: AuditStack, roleArn: string, token: string): Promise<string> {
  const res = await fetch(x.stack.sts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: `pod-${Date.now()}`,
      WebIdentityToken: token,
    }),
  });
  const xml = await res.text();
  // Distinct event times, so "newest" is well defined.
  await sleep(5);
  return xml;
}

describe('audit-cloudtrail', () => {
  it('CLOUDTRAIL-OK: no refused exchange for the ServiceAccount', async () => {
    const r = await runAudit(s, args());
    expect(r.codes('audit-cloudtrail')).toEqual(['CLOUDTRAIL-OK:pass']);
  });

  it('CLOUDTRAIL-FAILURES: codes and counts newest first, both spellings of a code as one, the newest message; no session token printed', async () => {
    const token = (o: { audience?: string[]; serviceAccount?: string } = {}) =>
      s.stack.issuer.mintToken({
        namespace: NS,
        serviceAccount: o.serviceAccount ?? SA,
        ...(o.audience ? { audience: o.audience } : {}),
      });
    // Two refusals by the trust policy of a role meant for Pod Identity...
    await assumeAtSts(s, s.stack.podIdentityRoleArn, await token());
    await assumeAtSts(s, s.stack.podIdentityRoleArn, await token());
    // ...one audience the provider does not list (recorded as InvalidIdentityTokenException)...
    await assumeAtSts(s, s.stack.roleArn, await token({ audience: ['vault'] }));
    // ...a refusal of another ServiceAccount, which is not this one's...
    await assumeAtSts(s, s.stack.roleArn, await token({ serviceAccount: 'tasklist' }));
    // ...and a granted exchange, whose record carries the session token.
    const granted = await assumeAtSts(s, s.stack.roleArn, await token());
    const sessionToken = /<SessionToken>([^<]+)<\/SessionToken>/.exec(granted)?.[1];
    const secretKey = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(granted)?.[1];
    expect(sessionToken && secretKey).toBeTruthy();
    // The same code spelt as STS answers it, two hours back, and one refusal older than --cloudtrail-hours.
    const old = (hoursAgo: number, code: string): void => {
      const call: WebIdentityCall = {
        time: new Date(Date.now() - hoursAgo * 3600_000),
        region: s.cp.region,
        requestId: randomUUID(),
        sourceIp: '10.0.1.23',
        roleArn: s.stack.roleArn,
        roleSessionName: 'botocore-session-1',
        claims: { iss: s.stack.issuer.issuerUrl, sub: `system:serviceaccount:${NS}:${SA}`, aud: ['x'] },
        providerArn: s.stack.iam.oidcProviderArn(s.stack.issuer.issuerHost),
        outcome: { ok: false, code, message: 'Incorrect token audience' },
      };
      const e = webIdentityEvent(call, s.cp.accountId);
      e.record.errorCode = code;
      s.cp.cloudTrail.addEvent(e);
    };
    old(2, 'InvalidIdentityToken');
    old(30, 'ExpiredTokenException');

    const r = await runAudit(s, args());
    expect(r.codes('audit-cloudtrail')).toEqual(['CLOUDTRAIL-FAILURES:warn']);
    const f = r.finding('CLOUDTRAIL-FAILURES')!;
    const details = f.details as {
      codes: Array<{ code: string; count: number }>;
      newest: { code: string; message: string; cause: string };
      failures: number;
    };
    expect(details.codes.map((c) => `${c.code} x${c.count}`)).toEqual([
      'InvalidIdentityToken x2',
      'AccessDenied x2',
    ]);
    expect(details.failures).toBe(4);
    expect(details.newest).toMatchObject({ code: 'InvalidIdentityToken', cause: 'STS-AUDIENCE' });
    expect(details.newest.message).toContain('Incorrect token audience');
    expect(f.message).toContain('was granted, so this may be fixed already');
    expect(f.message).not.toContain('ExpiredToken');
    expect(f.remediation).toContain('Address what the newest error names (InvalidIdentityToken: ');
    expect(f.remediation).toContain(`irsa-doctor run -n ${NS} -s ${SA}`);
    for (const secret of [sessionToken!, secretKey!]) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
    // Another ServiceAccount's refusal is its own.
    s.api.addServiceAccount(NS, 'tasklist', { 'eks.amazonaws.com/role-arn': s.stack.roleArn });
    const other = await runAudit(s, args('tasklist'));
    expect((other.finding('CLOUDTRAIL-FAILURES')?.details as { failures: number }).failures).toBe(1);
  });

  it('AUDIT-AWS-DENIED: an operator without cloudtrail:LookupEvents gets a skip naming it', async () => {
    s.cp.operator.revoke('cloudtrail:LookupEvents');
    try {
      const r = await runAudit(s, args());
      expect(r.codes('audit-cloudtrail')).toEqual(['AUDIT-AWS-DENIED:skip']);
      expect(r.finding('AUDIT-AWS-DENIED')?.message).toContain('cloudtrail:LookupEvents');
    } finally {
      s.cp.operator.grant('cloudtrail:LookupEvents');
    }
  });
});

describe('audit --assume', () => {
  it('runs only when asked', async () => {
    const r = await runAudit(v2, args());
    expect(r.report.checks.map((c) => c.id)).not.toContain('audit-assume');
  });

  it('STS-OK and IDENTITY-OK: a fresh token exchanged for the role; the credentials never reach the output', async () => {
    const issued: Array<{ secretAccessKey: string; sessionToken?: string }> = [];
    const unsubscribe = v2.cp.sts.onWebIdentity((call) => {
      if (call.outcome.ok) issued.push(call.outcome.credentials);
    });
    try {
      const r = await runAudit(v2, [...args(), '--assume']);
      expect(r.codes('audit-assume')).toEqual(['STS-OK:pass', 'IDENTITY-OK:pass']);
      expect(r.finding('STS-OK')?.message).toContain('they were checked and discarded');
      expect(issued).toHaveLength(1);
      const secrets = [issued[0]!.secretAccessKey, issued[0]!.sessionToken!];
      for (const secret of secrets) {
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
      }
      // Nor the ServiceAccount token the TokenRequest returned.
      expect(r.stdout).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
      // The token carried the audience the pods get, for the ServiceAccount under audit.
      const request = v2.api.requests.find((q) => q.resource === 'serviceaccounts/token');
      expect(request).toMatchObject({ verb: 'create', namespace: NS, name: SA, status: 201 });
    } finally {
      unsubscribe();
    }
  });

  it('STS-TRUST-POLICY under audit-assume: the role does not trust this ServiceAccount', async () => {
    v2.api.addServiceAccount(NS, 'optimize', { 'eks.amazonaws.com/role-arn': v2.stack.roleArn });
    const r = await runAudit(v2, [...args('optimize'), '--assume']);
    expect(r.codes('audit-assume')).toEqual(['STS-TRUST-POLICY:fail']);
    const f = r.finding('STS-TRUST-POLICY')!;
    expect(f.message).toContain(`system:serviceaccount:${NS}:optimize`);
    expect(f.remediation).toContain(
      `"${v2.stack.issuer.issuerHost}:sub": "system:serviceaccount:${NS}:optimize"`,
    );
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-MISMATCH:fail']);
    expect(r.code).toBe(1);
  });

  it('ASSUME-SKIPPED: a Pod Identity ServiceAccount has no IRSA exchange to prove', async () => {
    v2.api.addServiceAccount(NS, 'pi-only');
    const undo = associate(v2, 'pi-only', v2.stack.podIdentityRoleArn);
    try {
      const r = await runAudit(v2, [...args('pi-only'), '--assume']);
      expect(r.codes('audit-assume')).toEqual(['ASSUME-SKIPPED:skip']);
      expect(r.finding('ASSUME-SKIPPED')?.message).toContain('EKS Pod Identity');
    } finally {
      undo();
    }
  });
});

// Last: RBAC cut on the second cluster stays cut.
describe('audit: what the operator may not do in the cluster', () => {
  it('AUDIT-KUBE-DENIED under audit-nodes when listing nodes is forbidden, and under audit-assume when TokenRequest is', async () => {
    v2.api.forbid({ verb: 'list', resource: 'nodes' });
    v2.api.forbid({ verb: 'create', resource: 'serviceaccounts/token' });
    const removePod = addPod(v2, 'zeebe-5d8f7c9b4-jjjjj');
    try {
      const r = await runAudit(v2, [...args(), '--assume']);
      expect(r.codes('audit-nodes')).toEqual(['AUDIT-KUBE-DENIED:skip']);
      expect(r.codes('audit-assume')).toEqual(['AUDIT-KUBE-DENIED:skip']);
      const [nodes, token] = ['audit-nodes', 'audit-assume'].map(
        (id) => r.report.checks.find((c) => c.id === id)!.findings[0]!,
      );
      expect(nodes!.message).toContain('needs to list nodes');
      expect(token!.message).toContain('needs to create serviceaccounts/token');
      expect(r.stderr).toBe('');
    } finally {
      removePod();
    }
  });
});

describe('audit: the RBAC we ship', () => {
  it('k8s/audit-rbac.yaml grants every Kubernetes call these audits made, and the TokenRequest only through its --assume role', () => {
    const read = rbacRules('audit-rbac.yaml', 'ClusterRole', 'irsa-doctor-audit');
    const assume = rbacRules('audit-rbac.yaml', 'ClusterRole', 'irsa-doctor-audit-assume');
    const calls = [...s.api.requests, ...v2.api.requests];
    expect(calls.some((q) => q.resource === 'serviceaccounts/token')).toBe(true);
    expect(
      calls.filter((q) => !rbacAllows([...read, ...assume], q)).map((q) => `${q.verb} ${q.resource}`),
    ).toEqual([]);
    // Reads only, unless the operator was given the --assume role.
    const tokenCall = calls.find((q) => q.resource === 'serviceaccounts/token')!;
    expect(rbacAllows(read, tokenCall)).toBe(false);
    expect(
      calls.filter((q) => q.verb !== 'get' && q.verb !== 'list' && q.verb !== 'watch').map((q) => q.resource),
    ).toEqual(calls.filter((q) => q.resource === 'serviceaccounts/token').map(() => 'serviceaccounts/token'));
  });
});
