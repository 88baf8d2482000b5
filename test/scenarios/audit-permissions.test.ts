// `irsa-doctor audit --postgres/--opensearch`: the role's permissions on the exact Aurora/RDS resource and
// OpenSearch domain, against the loopback control plane (RDS, OpenSearch Service, and IAM whose
// SimulatePrincipalPolicy runs the harness's own evaluator). One failure mode per test; one stack per
// describe, each test with its own resource or database user; endpoints that need nothing else of the
// world are looked up by one audit with repeated --postgres / --opensearch, each test reading the
// findings about its own endpoint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsControlPlane } from '../harness/aws/aws-control-plane.js';
import type { AuroraCluster, DbInstance, DbProxy } from '../harness/aws/rds-api.js';
import type { PolicyDocument } from '../harness/iam.js';
import { startKubeApi } from '../harness/kube-api.js';
import { createTestCa } from '../harness/tls-ca.js';
import {
  type AuditRun,
  type AuditStack,
  NS,
  runAudit,
  runAuditSweep,
  SA,
  startAuditStack,
} from '../support/audit-stack.js';

/** A finding of the permissions check itself (other checks may carry the same AUDIT-* codes). */
const perm = (r: AuditRun, code: string) =>
  r.report.checks.find((c) => c.id === 'audit-permissions')?.findings.find((f) => f.code === code);

/** The permissions check's findings about one --postgres / --opensearch target. */
function about(r: AuditRun, target: string) {
  const findings =
    r.report.checks
      .find((c) => c.id === 'audit-permissions')
      ?.findings.filter((f) => f.details?.target === target) ?? [];
  return {
    codes: () => findings.map((f) => `${f.code}:${f.status}`),
    finding: (code: string) => findings.find((f) => f.code === code),
  };
}

const _CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const args = ['-n', NS, '-s', SA];
const pg = (host: string, user: string, sa = SA) => [
  '-n',
  NS,
  '-s',
  sa,
  '--postgres',
  host,
  '--postgres-user',
  user,
];

describe('audit permissions: Aurora and RDS', () => {
  let s: AuditStack;
  let camunda: AuroraCluster;
  let reporting: AuroraCluster;
  let legacy: DbInstance;
  let proxy: DbProxy;
  let oldProxy: DbProxy;
  const dbuser = (resourceId: string, user: string) =>
    `arn:aws:rds-db:${s.cp.region}:${s.cp.accountId}:dbuser:${resourceId}/${user}`;
  const proxyId = (x: DbProxy) => x.arn.split(':').pop()!;

  beforeAll(async () => {
    s = await startAuditStack();
    camunda = s.cp.rds.addAuroraCluster({
      identifier: 'camunda',
      instances: 2,
      customEndpoints: [{ name: 'analytics', type: 'READER' }],
    });
    reporting = s.cp.rds.addAuroraCluster({ identifier: 'reporting', iamAuth: false });
    legacy = s.cp.rds.addDbInstance({ identifier: 'legacy-pg', iamAuth: true });
    proxy = s.cp.rds.addDbProxy({ name: 'camunda-proxy' });
    oldProxy = s.cp.rds.addDbProxy({ name: 'old-proxy', iamAuth: 'DISABLED' });
    s.stack.allow('rds-db:connect', [
      dbuser(camunda.resourceId, 'identity'),
      dbuser(legacy.resourceId, 'identity'),
      dbuser(proxyId(proxy), 'identity'),
      dbuser(proxyId(oldProxy), 'identity'),
      dbuser(reporting.resourceId, 'identity'),
      // the classic: the cluster's name where its resource id belongs
      dbuser('camunda', 'keycloak'),
      // another database user than the one the workload logs in as
      dbuser(camunda.resourceId, 'operate'),
      // everyone on reporting, but for the Deny below
      dbuser(reporting.resourceId, '*'),
    ]);
    // a grant that holds only from one network, which only the pod's real request shows
    s.stack.role.policies.push({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: dbuser(camunda.resourceId, 'batch'),
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/16' } },
        },
      ],
    });
    s.stack.role.inlinePolicies = {
      'no-reporting-admin': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'NoReportingAdmin',
            Effect: 'Deny',
            Action: 'rds-db:connect',
            Resource: dbuser(reporting.resourceId, 'admin'),
          },
        ],
      },
    };
    // A Pod Identity ServiceAccount: its association's role counts, here one whose boundary refuses.
    s.api.addServiceAccount(NS, 'podid-sa');
    s.cp.eks.addPodIdentityAssociation({
      clusterName: s.cp.clusterName!,
      namespace: NS,
      serviceAccount: 'podid-sa',
      roleArn: s.stack.podIdentityRoleArn,
    });
    const boundary = s.stack.iam.addManagedPolicy({
      name: 'pods-boundary',
      documents: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }],
    });
    const podRole = s.stack.iam.getRole(s.stack.podIdentityRoleArn)!;
    podRole.permissionsBoundaryArn = boundary.arn;
    s.stack.allow('rds-db:connect', dbuser(camunda.resourceId, 'identity'), podRole.arn);
  });
  afterAll(() => s?.close());

  // Every endpoint the workload logs in to as `identity`, looked up by one audit (--postgres repeats);
  // each test reads the findings about its own endpoint (details.target).
  const endpoints = () => ({
    writer: `${camunda.endpoint}:5432`,
    reader: `${camunda.readerEndpoint.toUpperCase()}.`,
    custom: `postgresql://identity@${camunda.customEndpoints[0]!.host}:5432/camunda`,
    member: s.cp.rds.instances.get('camunda-instance-2')!.address,
    legacy: `${legacy.address}:5432`,
    proxy: proxy.endpoint,
    reporting: reporting.endpoint,
    oldProxy: oldProxy.endpoint,
    wrongPort: `${camunda.endpoint}:5433`,
  });
  let shared: Promise<AuditRun> | undefined;
  const identity = async (key: keyof ReturnType<typeof endpoints>) => {
    const all = endpoints();
    shared ??= runAudit(s, [
      ...args,
      ...Object.values(all).flatMap((e) => ['--postgres', e]),
      '--postgres-user',
      'identity',
    ]);
    const r = await shared;
    return { ...r, ...about(r, all[key]) };
  };

  it('writer endpoint: finds the cluster and its resource id, and IAM allows rds-db:connect on it', async () => {
    const r = await identity('writer');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      kind: 'cluster',
      endpointType: 'writer',
      identifier: 'camunda',
      resourceId: camunda.resourceId,
      iamAuth: true,
    });
    expect(r.finding('IAM-PERMISSION-OK')?.details).toMatchObject({
      action: 'rds-db:connect',
      resource: dbuser(camunda.resourceId, 'identity'),
      decision: 'allowed',
      matchedStatements: [expect.objectContaining({ policy: 'inline-policy-1' })],
    });
  });

  it('reader endpoint, in capitals and with a trailing dot: the same cluster', async () => {
    const r = await identity('reader');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      endpointType: 'reader',
      resourceId: camunda.resourceId,
    });
  });

  it('custom endpoint: the cluster it belongs to', async () => {
    const r = await identity('custom');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({ endpointType: 'custom', identifier: 'camunda' });
  });

  it("Aurora instance endpoint: the cluster's resource id counts, not the instance's", async () => {
    const r = await identity('member');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      kind: 'cluster',
      endpointType: 'instance',
      instance: 'camunda-instance-2',
      resourceId: camunda.resourceId,
    });
    expect(r.finding('IAM-PERMISSION-OK')?.details).toMatchObject({
      resource: dbuser(camunda.resourceId, 'identity'),
    });
  });

  it('RDS for PostgreSQL instance: its DbiResourceId (db-...)', async () => {
    const r = await identity('legacy');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      kind: 'instance',
      identifier: 'legacy-pg',
      resourceId: legacy.resourceId,
    });
    expect(legacy.resourceId).toMatch(/^db-/);
  });

  it("RDS Proxy endpoint: the proxy's own resource id (prx-...), as RDS Proxy documents it", async () => {
    const r = await identity('proxy');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      kind: 'proxy',
      identifier: 'camunda-proxy',
      resourceId: proxyId(proxy),
    });
    expect(r.finding('IAM-PERMISSION-OK')?.details).toMatchObject({
      resource: dbuser(proxyId(proxy), 'identity'),
    });
  });

  it('IAM authentication disabled on the cluster: RDS-IAM-AUTH-DISABLED with the modify-db-cluster line', async () => {
    const r = await identity('reporting');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'RDS-IAM-AUTH-DISABLED:fail', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-IAM-AUTH-DISABLED')?.remediation).toBe(
      `\`aws rds modify-db-cluster --db-cluster-identifier reporting --enable-iam-database-authentication --apply-immediately --region ${s.cp.region}\``,
    );
    expect(r.code).toBe(1);
  });

  it('a proxy that asks clients for no IAM token: the modify-db-proxy line with its own secret', async () => {
    const r = await identity('oldProxy');
    expect(r.codes()).toEqual(['RDS-TARGET:info', 'RDS-IAM-AUTH-DISABLED:fail', 'IAM-PERMISSION-OK:pass']);
    const fix = r.finding('RDS-IAM-AUTH-DISABLED')?.remediation ?? '';
    expect(fix).toContain('aws rds modify-db-proxy --db-proxy-name old-proxy');
    expect(fix).toContain(oldProxy.auth[0]!.secretArn);
  });

  it('rds-db:connect granted on the cluster name: denied, and the fix names the resource id', async () => {
    const r = await runAudit(s, pg(camunda.endpoint, 'keycloak'));
    expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-DENIED:fail']);
    const f = r.finding('IAM-PERMISSION-DENIED')!;
    expect(f.message).toContain('dbuser:camunda/keycloak');
    expect(f.message).toContain(camunda.resourceId);
    expect(f.details).toMatchObject({
      action: 'rds-db:connect',
      resource: dbuser(camunda.resourceId, 'keycloak'),
      decision: 'implicitDeny',
      grantedOnName: dbuser('camunda', 'keycloak'),
    });
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'rds-db:connect', Resource: dbuser(camunda.resourceId, 'keycloak') },
      ],
    });
    expect(f.remediation).toBe(
      `Allow it in a policy of role irsa-doctor-app: \`aws iam put-role-policy --role-name irsa-doctor-app --policy-name rds-connect-camunda-keycloak --policy-document '${doc}'\``,
    );
  });

  it('rds-db:connect granted for another database user: denied for the one the workload uses', async () => {
    const r = await runAudit(s, pg(camunda.endpoint, 'zeebe'));
    expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-DENIED:fail']);
    const f = r.finding('IAM-PERMISSION-DENIED')!;
    expect(f.details).toMatchObject({
      resource: dbuser(camunda.resourceId, 'zeebe'),
      decision: 'implicitDeny',
    });
    expect(f.remediation).toContain(`"Resource":"${dbuser(camunda.resourceId, 'zeebe')}"`);
  });

  it('an explicit Deny: named by its Sid, read from the URL-encoded policy IAM returns', async () => {
    const r = await runAudit(s, pg(reporting.endpoint, 'admin'));
    expect(r.codes('audit-permissions')).toEqual([
      'RDS-TARGET:info',
      'RDS-IAM-AUTH-DISABLED:fail',
      'IAM-PERMISSION-DENIED:fail',
    ]);
    const f = r.finding('IAM-PERMISSION-DENIED')!;
    expect(f.details).toMatchObject({
      decision: 'explicitDeny',
      matchedStatements: [
        expect.objectContaining({ policy: 'no-reporting-admin', statement: 'Sid "NoReportingAdmin"' }),
      ],
    });
    expect(f.remediation).toContain('Remove or narrow the Deny');
    expect(f.remediation).toContain('Sid "NoReportingAdmin" of no-reporting-admin');
    expect(s.cp.iamApi.requests.some((q) => q.operation === 'GetRolePolicy' && q.status === 200)).toBe(true);
  });

  it('a grant that holds only from some source addresses: IAM-PERMISSION-CONDITIONAL, no guess', async () => {
    const r = await runAudit(s, pg(camunda.endpoint, 'batch'));
    expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-CONDITIONAL:warn']);
    const f = r.finding('IAM-PERMISSION-CONDITIONAL')!;
    expect(f.details).toMatchObject({ decision: 'implicitDeny', missingContextValues: ['aws:SourceIp'] });
    expect(f.remediation).toContain('the policies of role irsa-doctor-app');
  });

  it('Pod Identity: the association role is simulated, and its permissions boundary is what refuses', async () => {
    const r = await runAudit(s, pg(camunda.endpoint, 'identity', 'podid-sa'));
    expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-DENIED:fail']);
    const f = r.finding('IAM-PERMISSION-DENIED')!;
    expect(f.details).toMatchObject({
      roleArn: s.stack.podIdentityRoleArn,
      allowedByPermissionsBoundary: false,
    });
    expect(f.remediation).toContain(
      'The permissions boundary of role irsa-doctor-pod-identity does not allow it',
    );
  });

  it('an endpoint no cluster, instance or proxy has: RDS-NOT-FOUND, nothing simulated', async () => {
    const before = s.cp.iamApi.requests.filter((q) => q.operation === 'SimulatePrincipalPolicy').length;
    const r = await runAudit(s, pg('camunda.cluster-zzzz.eu-west-1.rds.amazonaws.com', 'identity'));
    expect(r.codes('audit-permissions')).toEqual(['RDS-NOT-FOUND:fail']);
    expect(r.finding('RDS-NOT-FOUND')?.remediation).toContain(`--region ${s.cp.region}`);
    expect(s.cp.iamApi.requests.filter((q) => q.operation === 'SimulatePrincipalPolicy').length).toBe(before);
  });

  it('the right host on the wrong port: RDS-NOT-FOUND naming the port it listens on', async () => {
    const r = await identity('wrongPort');
    expect(r.codes()).toEqual(['RDS-NOT-FOUND:fail']);
    expect(r.finding('RDS-NOT-FOUND')?.message).toContain('listens on port 5432, not 5433');
  });

  it('an operator without iam:SimulatePrincipalPolicy: a skip naming the action, never a verdict', async () => {
    s.cp.operator.revoke('iam:SimulatePrincipalPolicy');
    try {
      const r = await runAudit(s, pg(camunda.endpoint, 'keycloak'));
      expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'AUDIT-AWS-DENIED:skip']);
      expect(perm(r, 'AUDIT-AWS-DENIED')?.details).toMatchObject({ action: 'iam:SimulatePrincipalPolicy' });
      expect(perm(r, 'AUDIT-AWS-DENIED')?.message).toContain('rds-db:connect');
    } finally {
      s.cp.operator.grant('iam:SimulatePrincipalPolicy');
    }
  });

  it('an operator who may not list the proxies: a skip, not RDS-NOT-FOUND', async () => {
    s.cp.operator.deny('rds:DescribeDBProxies');
    try {
      const r = await runAudit(s, pg('nowhere.proxy-abc.eu-west-1.rds.amazonaws.com', 'identity'));
      expect(r.codes('audit-permissions')).toEqual(['AUDIT-AWS-DENIED:skip']);
      expect(perm(r, 'AUDIT-AWS-DENIED')?.details).toMatchObject({ action: 'rds:DescribeDBProxies' });
    } finally {
      s.cp.operator.policy.Statement.pop();
    }
  });

  it('the IAM endpoint blackholed: AUDIT-AWS-UNREACHABLE within --timeout', async () => {
    await s.cp.blackhole('iam');
    try {
      const r = await runAudit(s, [...pg(camunda.endpoint, 'identity'), '--timeout', '4']);
      // The audit's own clock (process start-up aside): every check reported before the deadline.
      expect(r.report.durationMs).toBeLessThanOrEqual(4000);
      expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'AUDIT-AWS-UNREACHABLE:fail']);
      expect(perm(r, 'AUDIT-AWS-UNREACHABLE')?.details).toMatchObject({
        action: 'iam:SimulatePrincipalPolicy',
      });
      expect(r.report.checks.find((c) => c.id === 'audit-permissions')?.status).toBe('fail');
    } finally {
      s.cp.restore('iam');
    }
  });

  it('no --postgres and no --opensearch: PERMISSIONS-SKIPPED, and no RDS or IAM simulation call', async () => {
    const before = s.cp.rds.requests.length;
    const r = await runAudit(s, args);
    expect(r.codes('audit-permissions')).toEqual(['PERMISSIONS-SKIPPED:skip']);
    expect(s.cp.rds.requests.length).toBe(before);
  });
});

describe('audit permissions: OpenSearch domains', () => {
  let s: AuditStack;
  const REMOTE_ROLE = 'arn:aws:iam::444455556666:role/remote-app';
  const domainArn = (name: string) => `arn:aws:es:${s.cp.region}:${s.cp.accountId}:domain/${name}`;
  const host = (name: string) => {
    const d = s.cp.openSearch.domains.get(name)!;
    return d.endpoint ?? d.vpcEndpoint!;
  };
  const allowing = (
    principal: unknown,
    name: string,
    extra: Record<string, unknown> = {},
  ): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: 'es:ESHttp*',
        Resource: `${domainArn(name)}/*`,
        ...extra,
      },
    ],
  });

  beforeAll(async () => {
    s = await startAuditStack();
    const role = s.stack.roleArn;
    const root = `arn:aws:iam::${s.cp.accountId}:root`;
    const other = `arn:aws:iam::${s.cp.accountId}:role/other-app`;
    const add = (name: string, accessPolicy: PolicyDocument, more: Record<string, unknown> = {}) =>
      s.cp.openSearch.addDomain({ name, accessPolicy, ...more });
    add('orders', allowing({ AWS: role }, 'orders'), { vpc: true });
    add('search', allowing({ AWS: other }, 'search'), { fgac: { enabled: false } });
    add('silent', allowing({ AWS: other }, 'silent'));
    add('denied', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: role }, Action: 'es:*', Resource: `${domainArn('denied')}/*` },
        {
          Sid: 'NoApp',
          Effect: 'Deny',
          Principal: { AWS: role },
          Action: 'es:*',
          Resource: `${domainArn('denied')}/*`,
        },
      ],
    });
    add('readonly', allowing({ AWS: role }, 'readonly'));
    add('account', allowing({ AWS: root }, 'account'));
    add('custom', allowing({ AWS: role }, 'custom'), {
      customEndpoint: 'search.camunda.example.com',
      fgac: { enabled: true, internalUserDatabaseEnabled: true },
    });
    add(
      'ipbound',
      allowing('*', 'ipbound', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
    );
    add('cross-silent', allowing({ AWS: root }, 'cross-silent'));
    add('cross-allow', allowing({ AWS: REMOTE_ROLE }, 'cross-allow'));
    // The role's own policies: es:ESHttp* on `search` only, and no writes on `readonly`.
    s.stack.allow('es:ESHttp*', `${domainArn('search')}/*`);
    s.stack.role.inlinePolicies = {
      'os-readonly': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadOnly',
            Effect: 'Deny',
            Action: ['es:ESHttpPut', 'es:ESHttpPost'],
            Resource: `${domainArn('readonly')}/*`,
          },
        ],
      },
    };
    s.api.addServiceAccount(NS, 'remote-sa', { 'eks.amazonaws.com/role-arn': REMOTE_ROLE });
  });
  afterAll(() => s?.close());

  // The domains of one account, judged for the same ServiceAccount by one audit (--opensearch repeats).
  const urls = () => ({
    orders: `https://${host('orders')}:443`,
    search: `https://${host('search')}`,
    silent: `https://${host('silent')}`,
    denied: `https://${host('denied')}/_search`,
    readonly: `https://${host('readonly')}`,
    account: `https://${host('account')}`,
    custom: 'https://search.camunda.example.com/',
    ipbound: `https://${host('ipbound')}`,
    unknown: 'https://search-nothing-abc.eu-west-1.es.amazonaws.com',
  });
  let shared: Promise<AuditRun> | undefined;
  const domain = async (key: keyof ReturnType<typeof urls>) => {
    const all = urls();
    shared ??= runAudit(s, [...args, ...Object.values(all).flatMap((u) => ['--opensearch', u])]);
    const r = await shared;
    return { ...r, ...about(r, all[key]) };
  };
  // The role of another account, for the cross-account rules.
  const remoteUrls = () => ({
    silent: `https://${host('cross-silent')}`,
    allow: `https://${host('cross-allow')}`,
  });
  let remoteShared: Promise<AuditRun> | undefined;
  const remote = async (key: keyof ReturnType<typeof remoteUrls>) => {
    const all = remoteUrls();
    remoteShared ??= runAudit(s, [
      '-n',
      NS,
      '-s',
      'remote-sa',
      ...Object.values(all).flatMap((u) => ['--opensearch', u]),
    ]);
    const r = await remoteShared;
    return { ...r, ...about(r, all[key]) };
  };

  it('the domain policy names the role: OS-DOMAIN-OK, found by its VPC endpoint', async () => {
    const r = await domain('orders');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-OK:pass']);
    expect(r.finding('OS-DOMAIN-OK')?.message).toContain('the domain access policy (statement 1)');
    expect(r.finding('OS-DOMAIN-OK')?.details).toMatchObject({ domain: 'orders', sameAccount: true });
  });

  it("a domain policy naming only other principals is no denial when the role's own policy allows", async () => {
    const r = await domain('search');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-OK:pass']);
    expect(r.finding('OS-DOMAIN-OK')?.message).toContain("the role's own policies");
  });

  it('the domain policy names nothing for the role and the role lacks es:ESHttp*: OS-DOMAIN-POLICY-DENIES', async () => {
    const r = await domain('silent');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-POLICY-DENIES:fail']);
    const statement = JSON.stringify({
      Effect: 'Allow',
      Principal: { AWS: s.stack.roleArn },
      Action: 'es:ESHttp*',
      Resource: `${domainArn('silent')}/*`,
    });
    expect(r.finding('OS-DOMAIN-POLICY-DENIES')?.remediation).toBe(
      `Add this statement to the access policy of domain silent (merge it into the current policy, then \`aws opensearch update-domain-config --domain-name silent --region ${s.cp.region} --access-policies file://access-policy.json\`): \`${statement}\``,
    );
  });

  it('an explicit Deny in the domain policy wins over its Allow: the fix names the statement', async () => {
    const r = await domain('denied');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-POLICY-DENIES:fail']);
    expect(r.finding('OS-DOMAIN-POLICY-DENIES')?.remediation).toContain(
      `Remove or narrow the Deny statement Sid "NoApp" of the access policy of domain denied that matches role ${s.stack.roleArn}`,
    );
  });

  it("an explicit Deny in the role's policy wins over the domain's Allow: IAM-PERMISSION-DENIED for the writes", async () => {
    const r = await domain('readonly');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'IAM-PERMISSION-DENIED:fail']);
    const f = r.finding('IAM-PERMISSION-DENIED')!;
    expect(f.message).toContain('es:ESHttpPost, es:ESHttpPut');
    expect(f.message).not.toContain('es:ESHttpGet');
    expect(f.remediation).toContain('Sid "ReadOnly" of os-readonly');
  });

  it("a domain policy granting the account defers to the role's policies, which are silent: IAM-PERMISSION-DENIED", async () => {
    const r = await domain('account');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'IAM-PERMISSION-DENIED:fail']);
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${domainArn('account')}/*` }],
    });
    expect(r.finding('IAM-PERMISSION-DENIED')?.remediation).toBe(
      `Allow it in a policy of role irsa-doctor-app: \`aws iam put-role-policy --role-name irsa-doctor-app --policy-name opensearch-account --policy-document '${doc}'\``,
    );
  });

  it('a custom endpoint finds its domain; FGAC with the internal user database: the role is not the master user', async () => {
    const r = await domain('custom');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-OK:pass']);
    expect(r.finding('OS-DOMAIN-FGAC')?.details).toMatchObject({
      domain: 'custom',
      fineGrainedAccessControl: true,
      internalUserDatabase: true,
      roleIsMasterUser: false,
    });
  });

  it('FGAC info: off, or on with an IAM master user the API does not name', async () => {
    const off = await domain('search');
    expect(off.finding('OS-DOMAIN-FGAC')?.details).toEqual({
      domain: 'search',
      fineGrainedAccessControl: false,
      target: urls().search,
    });
    const on = await domain('orders');
    expect(on.finding('OS-DOMAIN-FGAC')?.details).toMatchObject({
      fineGrainedAccessControl: true,
      internalUserDatabase: false,
      roleIsMasterUser: 'unknown',
    });
    expect(on.finding('OS-DOMAIN-FGAC')?.message).toContain('does not return');
  });

  it('an Allow only from some source addresses: IAM-PERMISSION-CONDITIONAL, no guess', async () => {
    const r = await domain('ipbound');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'IAM-PERMISSION-CONDITIONAL:warn']);
    expect(r.finding('IAM-PERMISSION-CONDITIONAL')?.message).toContain('aws:SourceIp');
  });

  it('a role in another account, not named by the domain policy: OS-DOMAIN-POLICY-DENIES (both must allow)', async () => {
    const r = await remote('silent');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'OS-DOMAIN-POLICY-DENIES:fail']);
    expect(r.finding('OS-DOMAIN-POLICY-DENIES')?.message).toContain('across accounts');
    expect(r.finding('OS-DOMAIN-POLICY-DENIES')?.remediation).toContain(REMOTE_ROLE);
  });

  it('a role in another account named by the domain policy: its own policies are out of reach, a skip', async () => {
    const r = await remote('allow');
    expect(r.codes()).toEqual(['OS-DOMAIN-FGAC:info', 'IAM-ROLE-OTHER-ACCOUNT:skip']);
    const skip = r.finding('IAM-ROLE-OTHER-ACCOUNT');
    expect(skip?.message).toContain('the domain access policy allows it');
    expect(skip?.message).toContain('account 444455556666');
  });

  it('an endpoint no domain has: OS-DOMAIN-NOT-FOUND', async () => {
    const r = await domain('unknown');
    expect(r.codes()).toEqual(['OS-DOMAIN-NOT-FOUND:fail']);
  });

  it('several ServiceAccounts of one sweep share one domain listing and one simulation per role and domain', async () => {
    s.api.addServiceAccount(NS, 'second-sa', { 'eks.amazonaws.com/role-arn': s.stack.roleArn });
    const lists = () => s.cp.openSearch.requests.filter((q) => q.operation === 'ListDomainNames').length;
    const sims = () => s.cp.iamApi.requests.filter((q) => q.operation === 'SimulatePrincipalPolicy').length;
    const [l0, s0] = [lists(), sims()];
    const doc = await runAuditSweep(s, ['-n', NS, '--opensearch', `https://${host('orders')}`]);
    const codes = (sa: string) =>
      doc.runs
        .find((x) => x.serviceAccount === sa)
        ?.report.checks.find((c) => c.id === 'audit-permissions')
        ?.findings.map((f) => f.code);
    expect(codes(SA)).toEqual(['OS-DOMAIN-FGAC', 'OS-DOMAIN-OK']);
    expect(codes('second-sa')).toEqual(['OS-DOMAIN-FGAC', 'OS-DOMAIN-OK']);
    expect(lists() - l0).toBe(1);
    expect(sims() - s0).toBe(1);
  });
});

describe('audit permissions: other partitions', () => {
  /** A cluster's Kubernetes API and an AWS control plane in one partition, without the EKS identity stack. */
  async function partitionWorld(partition: string, region: string) {
    const ca = await createTestCa();
    const api = await startKubeApi({ ca });
    const cp = await startAwsControlPlane({ partition, region });
    const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-audit-'));
    const roleArn = cp.iam.roleArn('camunda-app');
    cp.iam.addRole({ arn: roleArn, trustPolicy: { Statement: [] }, policies: [] });
    api.addNamespace(NS);
    api.addServiceAccount(NS, SA, { 'eks.amazonaws.com/role-arn': roleArn });
    const world = {
      cp,
      api,
      dir,
      roleArn,
      kubeconfig: api.writeKubeconfig(dir),
      stack: undefined as never,
      async close() {
        await cp.close();
        await api.close();
        await ca.cleanup();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return world;
  }

  it('aws-us-gov: the cluster, its OIDC provider and the trust policy are found and judged in aws-us-gov; a trust policy copied from arn:aws: is named', async () => {
    const w = await partitionWorld('aws-us-gov', 'us-gov-west-1');
    try {
      const issuerHost = 'oidc.eks.us-gov-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
      w.cp.eks.addCluster({ name: 'camunda-gov', endpoint: w.api.url, issuer: `https://${issuerHost}` });
      w.cp.iam.addOidcProvider({ url: issuerHost, clientIds: ['sts.amazonaws.com'], thumbprints: [] });
      const providerArn = w.cp.iam.oidcProviderArn(issuerHost);
      expect(providerArn).toMatch(/^arn:aws-us-gov:iam::/);
      const trust = (federated: string) => ({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow' as const,
            Principal: { Federated: federated },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${issuerHost}:sub`]: `system:serviceaccount:${NS}:${SA}`,
                [`${issuerHost}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
        ],
      });
      const role = w.cp.iam.getRole(w.roleArn)!;
      role.trustPolicy = trust(providerArn);
      const ok = await runAudit(w, ['-n', NS, '-s', SA]);
      expect(ok.codes('audit-cluster')).toEqual(
        expect.arrayContaining(['EKS-CLUSTER:pass', 'IAM-OIDC-PROVIDER-OK:pass']),
      );
      expect(ok.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);

      role.trustPolicy = trust(providerArn.replace('arn:aws-us-gov:', 'arn:aws:'));
      const copied = await runAudit(w, ['-n', NS, '-s', SA]);
      // The statement names a provider, but not this cluster's: arn:aws: does not exist in aws-us-gov.
      expect(copied.codes('audit-trust')).toEqual(['IAM-TRUST-OTHER-ISSUER:fail']);
      expect(copied.finding('IAM-TRUST-OTHER-ISSUER')?.remediation).toContain(providerArn);
    } finally {
      await w.close();
    }
  });

  it('aws-cn: rds-db and es ARNs in aws-cn, IAM reached in cn-north-1, both allowed', async () => {
    const w = await partitionWorld('aws-cn', 'cn-northwest-1');
    try {
      const cluster = w.cp.rds.addAuroraCluster({ identifier: 'camunda' });
      const domainArn = `arn:aws-cn:es:cn-northwest-1:${w.cp.accountId}:domain/camunda`;
      w.cp.openSearch.addDomain({
        name: 'camunda',
        accessPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: w.roleArn }, Action: 'es:*', Resource: `${domainArn}/*` },
          ],
        },
      });
      const resource = `arn:aws-cn:rds-db:cn-northwest-1:${w.cp.accountId}:dbuser:${cluster.resourceId}/identity`;
      w.cp.iam.getRole(w.roleArn)!.policies.push({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: resource }],
      });
      const domain = w.cp.openSearch.domains.get('camunda')!;
      const r = await runAudit(w, [
        ...pg(cluster.endpoint, 'identity'),
        '--opensearch',
        `https://${domain.endpoint}`,
      ]);
      expect(cluster.endpoint).toMatch(/\.amazonaws\.com\.cn$/);
      expect(r.codes('audit-permissions')).toEqual([
        'RDS-TARGET:info',
        'IAM-PERMISSION-OK:pass',
        'OS-DOMAIN-FGAC:info',
        'OS-DOMAIN-OK:pass',
      ]);
      expect(r.finding('IAM-PERMISSION-OK')?.details).toMatchObject({ resource });
      expect(r.finding('OS-DOMAIN-OK')?.details).toMatchObject({ domainArn, resource: `${domainArn}/*` });
    } finally {
      await w.close();
    }
  });

  it('aws-us-gov: the fixes name aws-us-gov resources (rds-db on the name, domain policy silent)', async () => {
    const w = await partitionWorld('aws-us-gov', 'us-gov-east-1');
    try {
      const cluster = w.cp.rds.addAuroraCluster({ identifier: 'camunda' });
      w.cp.iam.getRole(w.roleArn)!.policies.push({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'rds-db:connect',
            Resource: `arn:aws-us-gov:rds-db:us-gov-east-1:${w.cp.accountId}:dbuser:camunda/identity`,
          },
        ],
      });
      const domain = w.cp.openSearch.addDomain({
        name: 'camunda',
        accessPolicy: { Version: '2012-10-17', Statement: [] },
      });
      const r = await runAudit(w, [
        ...pg(cluster.endpoint, 'identity'),
        '--opensearch',
        `https://${domain.endpoint}`,
      ]);
      expect(r.codes('audit-permissions')).toEqual([
        'RDS-TARGET:info',
        'IAM-PERMISSION-DENIED:fail',
        'OS-DOMAIN-FGAC:info',
        'OS-DOMAIN-POLICY-DENIES:fail',
      ]);
      expect(r.finding('IAM-PERMISSION-DENIED')?.remediation).toContain(
        `arn:aws-us-gov:rds-db:us-gov-east-1:${w.cp.accountId}:dbuser:${cluster.resourceId}/identity`,
      );
      expect(r.finding('OS-DOMAIN-POLICY-DENIES')?.remediation).toContain(
        `"Principal":{"AWS":"${w.roleArn}"},"Action":"es:ESHttp*","Resource":"arn:aws-us-gov:es:us-gov-east-1:${w.cp.accountId}:domain/camunda/*"`,
      );
    } finally {
      await w.close();
    }
  });
});
