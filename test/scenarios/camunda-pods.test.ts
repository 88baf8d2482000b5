// `irsa-doctor camunda` with pods: the agent runs as each component's ServiceAccount against that
// component's own Aurora login and OpenSearch URL, on the nodes the component runs on, on the loopback
// EKS whose kubelet runs the built CLI; Aurora is a real PostgreSQL behind the RDS IAM front door.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaDocument } from '../../src/report/render/camunda.js';
import type { Report } from '../../src/report/types.js';
import type { RecordedRequest } from '../harness/kube-api.js';
import {
  type CamundaWorld,
  install,
  put,
  runCamunda,
  spawnCli,
  startCamundaWorld,
} from '../support/camunda-world.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';
import { schemaErrors } from '../support/report-schema.js';

const POOL_NODE = 'ip-10-0-9-99.eu-west-1.compute.internal';
let w: CamundaWorld;
beforeAll(async () => {
  w = await startCamundaWorld({
    pods: true,
    nodes: [
      { name: 'ip-10-0-1-23.eu-west-1.compute.internal' },
      {
        name: POOL_NODE,
        labels: { 'camunda.io/pool': 'identity' },
        taints: [{ key: 'dedicated', value: 'identity', effect: 'NoSchedule' }],
      },
    ],
  });
});
afterAll(() => w?.close());

let n = 0;
const ns = (what: string) => `${what}-${++n}`;
/** Every failed finding, for the assertion message: what a starved machine did differently. */
const failures = (doc: CamundaDocument) =>
  [
    ...doc.findings.filter((f) => f.status === 'fail').map((f) => `${f.code}: ${f.message}`),
    ...doc.components.flatMap((c) =>
      [...c.findings, ...(c.report?.checks ?? []).flatMap((k) => k.findings)]
        .filter((f) => f.status === 'fail')
        .map((f) => `${c.name} ${f.code}: ${f.message}`),
    ),
  ].join('\n');
// camunda's and run's own flag: the bundle travels into each Job as a ConfigMap, as on a real cluster.
const caArgs = () => ['--postgres-ca', w.s.stack.ca.caFile];

describe('camunda: the agent as each component', { timeout: 180_000 }, () => {
  it('8.8 healthy: each IAM component logs in to Aurora as its own user or signs for OpenSearch, in parallel; no Job is left', async () => {
    const namespace = ns('pods88');
    install(w, '8.8', {
      namespace,
      extraValues: {
        identity: {
          nodeSelector: { 'camunda.io/pool': 'identity' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'identity', effect: 'NoSchedule' }],
        },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--parallel', '8', ...caArgs()]);
    // Not "pass": on a starved machine the agent's IMDS probe may time out (IMDS-UNDETERMINED, a warn).
    const summary = r.doc.components.map(
      (c) => `${c.name}:${c.verdict === 'fail' ? 'fail' : 'ok'}:${c.report ? 'ran' : '-'}`,
    );
    expect(summary, failures(r.doc)).toEqual([
      'orchestration:ok:ran',
      'optimize:ok:ran',
      'identity:ok:ran',
      'keycloak:ok:ran',
      'web-modeler-restapi:ok:ran',
      // They share Web Modeler's ServiceAccount and role but reach no AWS endpoint: the agent still
      // shows what that identity gets.
      'web-modeler-webapp:ok:ran',
      'web-modeler-websockets:ok:ran',
      'connectors:ok:-',
    ]);
    for (const [name, user] of [
      ['identity', 'identity_irsa'],
      ['keycloak', 'keycloak_irsa'],
      ['web-modeler-restapi', 'modeler_irsa'],
    ] as const) {
      expect(r.reportCodes(name, 'postgres')).toContain('PG-LOGIN-OK:pass');
      expect(r.component(name).report?.context.serviceAccount).toBe(r.component(name).serviceAccount);
      expect(JSON.stringify(r.component(name).report?.checks.find((c) => c.id === 'postgres'))).toContain(
        user,
      );
    }
    for (const name of ['orchestration', 'optimize'])
      expect(r.reportCodes(name, 'opensearch').some((c) => c.endsWith(':pass'))).toBe(true);
    // The identity Job ran on the only node its selector and toleration allow.
    expect(r.component('identity').report?.context.node).toBe(POOL_NODE);
    expect(r.doc.verdict).not.toBe('fail');
    expect(r.code).toBe(0);
    expect(w.s.api.jobs()).toEqual([]);
    // Within the loopback target: eight components, five Jobs, under 3 s of the command's own time.
    expect(r.doc.durationMs).toBeLessThan(30_000);
  });

  it.each([
    ['8.7', true],
    ['8.10', false],
  ] as const)('%s layout (Helm release: %s): each IAM component logs in or signs as itself', async (line, helm) => {
    const namespace = ns(`pods${line.replace('.', '')}`);
    install(w, line, { namespace, helm });
    const r = await runCamunda(w, ['-n', namespace, '--parallel', '8', ...caArgs()]);
    expect(r.codes()).toEqual([helm ? 'CAMUNDA-RELEASE:info' : 'CAMUNDA-NO-RELEASE:info']);
    for (const [name, user] of [
      ['identity', 'identity_irsa'],
      ['web-modeler-restapi', 'modeler_irsa'],
      ...(line === '8.7' ? [['keycloak', 'keycloak_irsa'] as const] : []),
    ] as const) {
      expect(r.reportCodes(name, 'postgres'), failures(r.doc)).toContain('PG-LOGIN-OK:pass');
      expect(JSON.stringify(r.component(name).report?.checks.find((c) => c.id === 'postgres'))).toContain(
        user,
      );
    }
    const search =
      line === '8.7' ? ['zeebe', 'operate', 'tasklist', 'optimize'] : ['orchestration', 'optimize'];
    for (const name of search)
      expect(
        r.reportCodes(name, 'opensearch').some((c) => c.endsWith(':pass')),
        name,
      ).toBe(true);
    expect(w.s.api.jobs()).toEqual([]);
  });

  it("a component whose role cannot log in to Aurora: the agent's PG-* finding appears under that component", async () => {
    const namespace = ns('pods-pg');
    install(w, '8.8', { namespace });
    // keycloak's IAM user loses rds_iam: the token is refused as for a password user.
    await w.rds!.postgres.query('REVOKE rds_iam FROM keycloak_irsa');
    try {
      const r = await runCamunda(w, ['-n', namespace, ...caArgs()]);
      expect(r.codes('keycloak')).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
      const pg = r.reportCodes('keycloak', 'postgres');
      expect(
        pg.some((c) => c.startsWith('PG-') && c.endsWith(':fail')),
        pg.join(', '),
      ).toBe(true);
      expect(r.component('keycloak').verdict).toBe('fail');
      expect(r.component('identity').verdict).not.toBe('fail');
      expect(r.doc.verdict).toBe('fail');
      expect(r.code).toBe(1);
      // In text, the agent's report follows the component's own lines.
      const text = await spawnCli(w, ['camunda', '-n', namespace, '-o', 'text', ...caArgs()]);
      const keycloak = text.stdout.slice(text.stdout.indexOf('==== keycloak'));
      expect(keycloak.slice(0, keycloak.indexOf('==== ', 5))).toMatch(/FAIL\s+PG-/);
      expect(text.code).toBe(1);
    } finally {
      await w.rds!.postgres.query('GRANT rds_iam TO keycloak_irsa');
    }
  });
});

describe('camunda --audit: the AWS side of each component, read with the operator credentials', {
  timeout: 180_000,
}, () => {
  it('--no-pods --audit: one audit report per IAM component, nothing created; a bare ServiceAccount is a fail once Pod Identity is listed', async () => {
    const namespace = ns('audit-np');
    const f = install(w, '8.8', { namespace });
    const sa = f.serviceAccounts.find((s) => s.metadata.name === 'keycloak-sa')!;
    put(w, { ...sa, metadata: { ...sa.metadata, annotations: {} } });
    const before = w.s.api.requests.length;
    const r = await runCamunda(w, ['-n', namespace, '--no-pods', '--audit'], { aws: true });
    expect(r.codes('keycloak')).toEqual(['CAMUNDA-SA-NOT-ANNOTATED:fail']);
    // Each audit judged that component's own endpoint: identity's Aurora user, orchestration's domain.
    expect(r.reportCodes('identity')).toEqual(
      expect.arrayContaining(['IAM-TRUST-OK:pass', 'RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']),
    );
    expect(r.reportCodes('orchestration')).toContain('OS-DOMAIN-OK:pass');
    expect(r.component('connectors').report).toBeUndefined();
    expect(w.s.api.requests.slice(before).filter((q) => q.verb !== 'get' && q.verb !== 'list')).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(w.s.cp.operator.credentials.secretAccessKey);
  });

  it('with pods and AWS credentials in the environment: the audit joins each component run as its last check', async () => {
    const namespace = ns('audit-pods');
    install(w, '8.8', { namespace });
    const r = await runCamunda(w, ['-n', namespace, ...caArgs()], { aws: true });
    for (const name of ['orchestration', 'identity', 'keycloak']) {
      expect(r.component(name).report?.checks.at(-1)?.id).toBe('audit');
      expect(r.reportCodes(name, 'audit')).toContain('IAM-TRUST-OK:pass');
    }
    expect(r.reportCodes('keycloak', 'audit')).toContain('IAM-PERMISSION-OK:pass');
    expect(r.reportCodes('keycloak', 'postgres')).toContain('PG-LOGIN-OK:pass');
    expect(r.code, failures(r.doc)).toBe(0);
  });
});

describe('run --workload: one workload as it runs', { timeout: 180_000 }, () => {
  const allowedByRbac = (q: RecordedRequest) =>
    rbacAllows(
      q.namespace
        ? rbacRules('rbac.yaml', 'Role', 'irsa-doctor-launcher')
        : rbacRules('rbac.yaml', 'ClusterRole', 'irsa-doctor-launcher-cluster'),
      q,
    );

  it('deploy/NAME: its ServiceAccount, its nodes, its Aurora login from its own env; sts/NAME: its OpenSearch URL; only what k8s/rbac.yaml grants', async () => {
    const namespace = ns('workload');
    install(w, '8.8', {
      namespace,
      extraValues: {
        identity: {
          nodeSelector: { 'camunda.io/pool': 'identity' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'identity', effect: 'NoSchedule' }],
        },
      },
    });
    const before = w.s.api.requests.length;
    const identity = await spawnCli(w, [
      'run',
      '-n',
      namespace,
      '--workload',
      'deploy/camunda-identity',
      '-o',
      'json',
      ...caArgs(),
    ]);
    const report = JSON.parse(identity.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.context.serviceAccount).toBe('identity-sa');
    expect(report.context.node).toBe(POOL_NODE);
    const pg = report.checks.find((c) => c.id === 'postgres');
    expect(pg?.findings.map((f) => f.code)).toContain('PG-LOGIN-OK');
    expect(JSON.stringify(pg)).toContain('identity_irsa');
    expect(identity.code).toBe(0);

    const zeebe = await spawnCli(w, [
      'run',
      '-n',
      namespace,
      '--workload',
      'sts/camunda-zeebe',
      '-o',
      'json',
    ]);
    const z = JSON.parse(zeebe.stdout) as Report;
    expect(z.context.serviceAccount).toBe('orchestration-sa');
    const os = z.checks.find((c) => c.id === 'opensearch');
    expect(os?.findings.some((f) => f.status === 'pass')).toBe(true);
    expect(zeebe.code).toBe(0);

    const calls = w.s.api.requests.slice(before);
    expect(calls.filter((q) => !allowedByRbac(q)).map((q) => `${q.verb} ${q.resource}`)).toEqual([]);
    expect(calls.filter((q) => q.resource === 'secrets')).toEqual([]);
    expect(w.s.api.jobs()).toEqual([]);
  });

  it('a sidecar declared first: kubectl.kubernetes.io/default-container or -c picks the application, as kubectl does', async () => {
    const namespace = ns('workload-sidecar');
    install(w, '8.8', { namespace });
    // A log shipper before the application in the pod template, as some injectors and charts add it.
    w.s.api.store.update('deployments', namespace, 'camunda-identity', (d) => {
      d.spec.template.spec.containers.unshift({ name: 'log-shipper', image: 'fluent-bit:3' });
    });
    const run = async (...extra: string[]) => {
      const r = await spawnCli(w, [
        'run',
        '-n',
        namespace,
        '--workload',
        'deploy/camunda-identity',
        '-o',
        'json',
        ...extra,
      ]);
      return { r, report: r.code === 2 ? undefined : (JSON.parse(r.stdout) as Report) };
    };
    const pgCodes = (report: Report | undefined) =>
      report?.checks.find((c) => c.id === 'postgres')?.findings.map((f) => f.code) ?? [];

    // The first container names no database: nothing to log in to, the CA bundle has nothing to verify.
    const first = await run(...caArgs());
    expect(first.r.code).toBe(2);
    expect(first.r.stderr).toContain('names no Aurora/RDS endpoint');

    const picked = await run('-c', 'camunda-platform', ...caArgs());
    expect(pgCodes(picked.report)).toContain('PG-LOGIN-OK');
    expect(picked.r.code).toBe(0);

    w.s.api.store.update('deployments', namespace, 'camunda-identity', (d) => {
      d.spec.template.metadata = {
        ...d.spec.template.metadata,
        annotations: {
          ...d.spec.template.metadata?.annotations,
          'kubectl.kubernetes.io/default-container': 'camunda-platform',
        },
      };
    });
    const annotated = await run(...caArgs());
    expect(pgCodes(annotated.report)).toContain('PG-LOGIN-OK');

    const wrong = await run('-c', 'nope');
    expect(wrong.r.code).toBe(2);
    expect(wrong.r.stderr).toContain(
      'has no container "nope" (its containers: log-shipper, camunda-platform)',
    );
    expect(w.s.api.jobs()).toEqual([]);
  });

  it('a workload that does not exist is a usage error naming it', async () => {
    const namespace = ns('workload-none');
    w.s.api.addNamespace(namespace);
    const r = await spawnCli(w, ['run', '-n', namespace, '--workload', 'deploy/nope', '-o', 'json']);
    expect(r.stderr).toContain(`deploy/nope in namespace ${namespace} does not exist`);
    expect(r.code).toBe(2);
  });
});
