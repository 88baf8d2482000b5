// `irsa-doctor camunda --no-pods`: discovery and the Camunda-side findings, read-only, against the chart
// emulator's objects (what the camunda-platform chart renders for each line, stored as Helm stores it)
// on the loopback Kubernetes API. Each scenario has a namespace of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line } from '../harness/camunda/chart-defaults.js';
import { AURORA_HOST, OPENSEARCH_HOST } from '../harness/camunda/irsa-values.js';
import {
  type CamundaWorld,
  install,
  put,
  remove,
  runCamunda,
  spawnCli,
  startCamundaWorld,
} from '../support/camunda-world.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';

let w: CamundaWorld;
beforeAll(async () => {
  w = await startCamundaWorld();
});
afterAll(() => w?.close());

let n = 0;
const ns = (what: string) => `${what}-${++n}`;

const COMPONENTS: Record<Line, string[]> = {
  '8.7': [
    'zeebe',
    'zeebe-gateway',
    'operate',
    'tasklist',
    'optimize',
    'identity',
    'keycloak',
    'web-modeler-restapi',
    'web-modeler-webapp',
    'web-modeler-websockets',
    'connectors',
  ],
  '8.8': [
    'orchestration',
    'optimize',
    'identity',
    'keycloak',
    'web-modeler-restapi',
    'web-modeler-webapp',
    'web-modeler-websockets',
    'connectors',
  ],
  '8.9': [
    'orchestration',
    'optimize',
    'identity',
    'keycloak',
    'web-modeler-restapi',
    'web-modeler-websockets',
    'connectors',
  ],
  '8.10': [
    'orchestration',
    'optimize',
    'identity',
    'web-modeler-restapi',
    'web-modeler-websockets',
    'connectors',
  ],
};

/** Every request the run made, for the read-only and RBAC assertions. */
function requestsSince(before: number) {
  return w.s.api.requests.slice(before);
}

describe('camunda --no-pods: a healthy Aurora + OpenSearch IRSA deployment', () => {
  it('8.8 from its Helm release: every component found, OK, and nothing but reads that k8s/camunda-rbac.yaml grants', async () => {
    const namespace = ns('c88');
    install(w, '8.8', { namespace });
    const before = w.s.api.requests.length;
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.code).toBe(0);
    expect(r.doc.verdict).toBe('pass');
    expect(r.codes()).toEqual(['CAMUNDA-RELEASE:info']);
    expect(r.doc.release).toMatchObject({ name: 'camunda', revision: 2, chartVersion: '13.12.7', newer: [] });
    expect(r.doc.chartLine?.value).toBe('8.8');
    expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS['8.8']);
    for (const c of r.doc.components) expect(r.codes(c.name)).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
    expect(r.component('orchestration')).toMatchObject({
      workload: { kind: 'StatefulSet', name: 'camunda-zeebe' },
      serviceAccount: 'orchestration-sa',
      roleArn: 'arn:aws:iam::111122223333:role/camunda-opensearch',
      targets: { opensearch: { url: `https://${OPENSEARCH_HOST}:443` } },
    });
    expect(r.component('identity').targets.postgres).toEqual({
      host: AURORA_HOST,
      port: 5432,
      database: 'identity',
      user: 'identity_irsa',
    });
    expect(r.component('keycloak').targets.postgres?.user).toBe('keycloak_irsa');
    expect(r.component('web-modeler-restapi').targets.postgres?.user).toBe('modeler_irsa');
    expect(r.component('identity').report).toBeUndefined();

    // Read-only, and only Helm's release Secrets: labels listed as metadata, one revision fetched.
    const calls = requestsSince(before);
    expect(calls.filter((q) => q.verb !== 'get' && q.verb !== 'list')).toEqual([]);
    const secrets = calls.filter((q) => q.resource === 'secrets');
    expect(
      secrets.filter((q) => q.verb === 'list').every((q) => q.query === 'labelSelector=owner%3Dhelm'),
    ).toBe(true);
    expect(
      secrets
        .filter((q) => q.verb === 'list')
        .every((q) => q.accept?.includes('as=PartialObjectMetadataList')),
    ).toBe(true);
    expect(secrets.filter((q) => q.verb === 'get').map((q) => q.name)).toEqual([
      'sh.helm.release.v1.camunda.v2',
    ]);
    const role = rbacRules('camunda-rbac.yaml', 'Role', 'irsa-doctor-camunda');
    expect(calls.filter((q) => !rbacAllows(role, q)).map((q) => `${q.verb} ${q.resource}`)).toEqual([]);
    // ConfigMaps are read by name, never listed.
    expect(calls.filter((q) => q.resource === 'configmaps' && q.verb === 'list')).toEqual([]);
  });

  it('the same deployment without Helm (Argo CD, helm template): CAMUNDA-NO-RELEASE, the same components from the workloads', async () => {
    const namespace = ns('argo');
    install(w, '8.8', { namespace, helm: false });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.code).toBe(0);
    expect(r.doc.release).toBeNull();
    expect(r.codes()).toEqual(['CAMUNDA-NO-RELEASE:info']);
    expect(r.doc.chartLine).toMatchObject({ value: '8.8', source: expect.stringContaining('helm.sh/chart') });
    expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS['8.8']);
    for (const c of r.doc.components) expect(r.codes(c.name)).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
  });

  it.each(['8.9', '8.10'] as const)('%s layout: its components, each OK', async (line) => {
    const namespace = ns(`c${line.replace('.', '')}`);
    install(w, line, { namespace });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS[line]);
    for (const c of r.doc.components) expect(r.codes(c.name)).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
    expect(r.code).toBe(0);
  });

  it('8.10 layout without Helm: no Keycloak, Web Modeler from camundaHub, each OK', async () => {
    const namespace = ns('c810-argo');
    install(w, '8.10', { namespace, helm: false });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes()).toEqual(['CAMUNDA-NO-RELEASE:info']);
    expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS['8.10']);
    expect(r.component('web-modeler-restapi').targets.postgres?.user).toBe('modeler_irsa');
    expect(r.code).toBe(0);
  });

  it('8.7 layout: zeebe, gateway, operate and tasklist apart; the 8.7 chart renders no AWS switch for the Zeebe importer client (warn)', async () => {
    for (const helm of [true, false]) {
      const namespace = ns('c87');
      install(w, '8.7', { namespace, helm });
      const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
      expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS['8.7']);
      expect(r.codes()).toEqual([helm ? 'CAMUNDA-RELEASE:info' : 'CAMUNDA-NO-RELEASE:info']);
      for (const app of ['operate', 'tasklist']) {
        expect(r.codes(app)).toEqual(['CAMUNDA-OPENSEARCH-AWS-DISABLED:warn']);
        const f = r.component(app).findings[0]!;
        expect(f.remediation).toContain(
          `${app}.env: {name: CAMUNDA_${app.toUpperCase()}_ZEEBEOPENSEARCH_AWSENABLED`,
        );
      }
      for (const c of ['zeebe', 'optimize', 'identity', 'keycloak', 'web-modeler-restapi'])
        expect(r.codes(c)).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
      expect(r.component('zeebe').workload).toEqual({ kind: 'StatefulSet', name: 'camunda-zeebe' });
      expect(r.component('zeebe-gateway').workload.name).toBe('camunda-zeebe-gateway');
      expect(r.doc.verdict).toBe('warn');
      expect(r.code).toBe(0);
    }
  });
});

describe('camunda --no-pods: each Camunda-side mistake', () => {
  it('CAMUNDA-SA-MISSING: the pod template names a ServiceAccount that does not exist', async () => {
    const namespace = ns('sa-missing');
    install(w, '8.8', { namespace });
    remove(w, 'ServiceAccount', namespace, 'identity-sa');
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('identity')).toEqual(['CAMUNDA-SA-MISSING:fail']);
    expect(r.component('identity').findings[0]?.remediation).toContain(
      'identity.serviceAccount.enabled: true',
    );
    expect(r.code).toBe(1);
  });

  it('CAMUNDA-SA-NOT-ANNOTATED: Aurora with IAM but no role; Pod Identity not listed without AWS credentials (warn)', async () => {
    const namespace = ns('sa-bare');
    const f = install(w, '8.8', { namespace });
    const sa = f.serviceAccounts.find((s) => s.metadata.name === 'keycloak-sa')!;
    put(w, { ...sa, metadata: { ...sa.metadata, annotations: {} } });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('keycloak')).toEqual(['CAMUNDA-SA-NOT-ANNOTATED:warn']);
    const finding = r.component('keycloak').findings[0]!;
    expect(finding.message).toContain('Pod Identity associations were not listed');
    expect(finding.remediation).toContain('identityKeycloak.serviceAccount.annotations');
  });

  it.each([
    ['8.8', 'identity', 'identity', 'SPRING_DATASOURCE_URL=jdbc:aws-wrapper:postgresql://'],
    [
      '8.8',
      'webModeler',
      'web-modeler-restapi',
      'webModeler.restapi.externalDatabase.url: jdbc:aws-wrapper:postgresql://',
    ],
    [
      '8.10',
      'webModeler',
      'web-modeler-restapi',
      'camundaHub.restapi.externalDatabase.url: jdbc:aws-wrapper:postgresql://',
    ],
    ['8.9', 'keycloak', 'keycloak', 'KEYCLOAK_JDBC_PARAMS=wrapperPlugins=iam'],
  ] as const)('CAMUNDA-JDBC-NOT-IAM (%s, %s): the fix names the values keys of that chart line', async (line, noIam, component, fix) => {
    const namespace = ns('jdbc');
    install(w, line, { namespace, noIam });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes(component)).toEqual(['CAMUNDA-JDBC-NOT-IAM:fail']);
    const f = r.component(component).findings[0]!;
    expect(f.remediation).toContain(fix);
    expect(f.remediation).toContain(AURORA_HOST);
    expect(r.code).toBe(1);
  });

  it('CAMUNDA-JDBC-NOT-IAM: the iam plugin without the wrapper driver class', async () => {
    const namespace = ns('driver');
    install(w, '8.8', {
      namespace,
      extraValues: {
        identity: {
          env: [
            {
              name: 'SPRING_DATASOURCE_URL',
              value: `jdbc:aws-wrapper:postgresql://${AURORA_HOST}:5432/identity?ssl=true&wrapperPlugins=failover,iam`,
            },
            { name: 'SPRING_DATASOURCE_USERNAME', value: 'identity_irsa' },
          ],
        },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('identity')).toEqual(['CAMUNDA-JDBC-NOT-IAM:fail']);
    expect(r.component('identity').findings[0]?.remediation).toContain(
      'identity.env SPRING_DATASOURCE_DRIVER_CLASS_NAME=software.amazon.jdbc.Driver',
    );
  });

  it('every correct JDBC form passes: extra parameters, ssl=true, the iam plugin among others, either user key', async () => {
    const namespace = ns('forms');
    install(w, '8.9', {
      namespace,
      extraValues: {
        webModeler: {
          restapi: {
            externalDatabase: {
              url: `jdbc:aws-wrapper:postgresql://${AURORA_HOST}:5432/modeler?ssl=true&sslmode=verify-full&wrapperPlugins=failover2,efm2,iam&connectTimeout=10`,
              user: null,
              username: 'modeler_irsa',
            },
          },
        },
        identityKeycloak: {
          extraEnvVars: [
            { name: 'KEYCLOAK_EXTRA_ARGS', value: '--db-driver=software.amazon.jdbc.Driver' },
            { name: 'KEYCLOAK_JDBC_PARAMS', value: 'sslmode=require&wrapperPlugins=iam,failover' },
            { name: 'KEYCLOAK_JDBC_DRIVER', value: 'aws-wrapper:postgresql' },
          ],
        },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('web-modeler-restapi')).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
    expect(r.component('web-modeler-restapi').targets.postgres?.user).toBe('modeler_irsa');
    expect(r.codes('keycloak')).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
  });

  it('CAMUNDA-JDBC-NOT-AWS: a bundled PostgreSQL with a password is not an IAM target', async () => {
    const namespace = ns('bundled');
    install(w, '8.8', {
      namespace,
      extraValues: {
        identity: { externalDatabase: { enabled: false }, env: [] },
        identityPostgresql: { enabled: true },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('identity')).toEqual(['CAMUNDA-JDBC-NOT-AWS:info', 'CAMUNDA-COMPONENT-OK:pass']);
    expect(r.component('identity').targets).toEqual({});
  });

  it.each([
    ['8.8', 'orchestration', 'global.opensearch.aws.enabled: true'],
    ['8.8', 'optimize', 'global.opensearch.aws.enabled: true'],
    ['8.9', 'orchestration', 'orchestration.data.secondaryStorage.opensearch.aws.enabled: true'],
    ['8.10', 'optimize', 'optimize.database.opensearch.aws.enabled: true'],
  ] as const)('CAMUNDA-OPENSEARCH-AWS-DISABLED (%s %s): the 401 crash loop, with the key of that line', async (line, component, fix) => {
    const namespace = ns('os-off');
    install(w, line, { namespace, opensearchAws: false });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes(component)).toEqual(['CAMUNDA-OPENSEARCH-AWS-DISABLED:fail']);
    expect(r.component(component).findings[0]?.remediation).toContain(fix);
    expect(r.code).toBe(1);
  });

  it('CAMUNDA-OPENSEARCH-AWS-DISABLED: an env entry that turns the switch off is named in the fix', async () => {
    const namespace = ns('os-env');
    install(w, '8.8', {
      namespace,
      extraValues: {
        optimize: { env: [{ name: 'CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED', value: 'false' }] },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('optimize')).toEqual(['CAMUNDA-OPENSEARCH-AWS-DISABLED:fail']);
    expect(r.component('optimize').findings[0]?.remediation).toContain(
      'env:CAMUNDA_OPTIMIZE_OPENSEARCH_AWS_ENABLED',
    );
  });

  it('CAMUNDA-VALUES-DRIFT: pods changed by hand since the release (ServiceAccount, Aurora host, AWS switch)', async () => {
    const namespace = ns('drift');
    install(w, '8.8', {
      namespace,
      liveValues: {
        identityKeycloak: {
          externalDatabase: { host: 'other-aurora.cluster-x.eu-west-1.rds.amazonaws.com' },
        },
      },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('keycloak')).toEqual(['CAMUNDA-VALUES-DRIFT:warn']);
    const f = r.component('keycloak').findings[0]!;
    expect(f.message).toContain('postgres[keycloak].host: release');
    expect(f.details?.drift).toEqual([
      expect.objectContaining({
        field: 'postgres[keycloak].host',
        release: expect.objectContaining({ value: AURORA_HOST }),
        live: expect.objectContaining({ value: 'other-aurora.cluster-x.eu-west-1.rds.amazonaws.com' }),
      }),
    ]);
    // The live side is what is diagnosed.
    expect(r.component('keycloak').targets.postgres?.host).toBe(
      'other-aurora.cluster-x.eu-west-1.rds.amazonaws.com',
    );
    expect(r.code).toBe(0);
  });

  it('CAMUNDA-TARGET-UNKNOWN: the JDBC URL comes from a Secret, which is never read', async () => {
    const namespace = ns('secret-url');
    install(w, '8.8', {
      namespace,
      extraValues: {
        identity: {
          env: [
            {
              name: 'SPRING_DATASOURCE_URL',
              valueFrom: { secretKeyRef: { name: 'identity-db', key: 'url' } },
            },
            { name: 'SPRING_DATASOURCE_DRIVER_CLASS_NAME', value: 'software.amazon.jdbc.Driver' },
          ],
        },
      },
    });
    const before = w.s.api.requests.length;
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes('identity')).toEqual(['CAMUNDA-TARGET-UNKNOWN:warn']);
    expect(r.component('identity').findings[0]?.message).toContain('Secret identity-db key url (not read)');
    expect(requestsSince(before).filter((q) => q.resource === 'secrets' && q.name === 'identity-db')).toEqual(
      [],
    );
  });
});

describe('camunda --no-pods: naming and release history', () => {
  it('nameOverride and derived ServiceAccount names: found by label, named as the chart names them', async () => {
    const namespace = ns('names');
    install(w, '8.8', {
      namespace,
      releaseName: 'prod',
      explicitServiceAccounts: false,
      componentOverrides: { orchestration: { nameOverride: 'core' }, identity: { fullnameOverride: 'idp' } },
    });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.code).toBe(0);
    expect(r.component('orchestration')).toMatchObject({
      workload: { name: 'prod-core' },
      serviceAccount: 'prod-core',
    });
    expect(r.component('identity')).toMatchObject({ workload: { name: 'idp' }, serviceAccount: 'idp' });
    expect(r.component('keycloak').serviceAccount).toBe('prod-keycloak');
    expect(r.component('web-modeler-restapi')).toMatchObject({
      workload: { name: 'prod-web-modeler-restapi' },
      serviceAccount: 'prod-web-modeler',
    });
    for (const c of r.doc.components) expect(r.codes(c.name)).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
  });

  it('a failed upgrade above an older deployed revision: the deployed one is read, the failure warned', async () => {
    const namespace = ns('failed');
    install(w, '8.8', { namespace, previousRevisions: 2, newerRevision: 'failed' });
    const before = w.s.api.requests.length;
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes()).toEqual(['CAMUNDA-RELEASE:info', 'CAMUNDA-RELEASE-UPGRADE-FAILED:warn']);
    expect(r.doc.release).toMatchObject({ revision: 3, newer: [{ revision: 4, status: 'failed' }] });
    expect(r.doc.findings[1]?.remediation).toContain('helm rollback camunda 3');
    // The failed revision's values (never-deployed-sa) are not what runs, and were not read.
    expect(r.component('identity').serviceAccount).toBe('identity-sa');
    expect(r.codes('identity')).toEqual(['CAMUNDA-COMPONENT-OK:pass']);
    expect(
      requestsSince(before)
        .filter((q) => q.resource === 'secrets' && q.verb === 'get')
        .map((q) => q.name),
    ).toEqual(['sh.helm.release.v1.camunda.v3']);
  });

  it('CAMUNDA-RELEASE-UNREADABLE: a release Secret that is not what Helm writes; the workloads are still read', async () => {
    const namespace = ns('corrupt');
    const f = install(w, '8.8', { namespace });
    const secret = f.all.find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'sh.helm.release.v1.camunda.v2',
    )!;
    // base64 of base64 of a gzip header and nothing else: Helm's framing, a truncated body.
    const truncated = Buffer.from(Buffer.from([0x1f, 0x8b, 0x08, 0x00]).toString('base64')).toString(
      'base64',
    );
    put(w, { ...secret, data: { release: truncated } } as typeof secret);
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes()).toEqual(['CAMUNDA-RELEASE-UNREADABLE:warn', 'CAMUNDA-NO-RELEASE:info']);
    expect(r.doc.release).toBeNull();
    expect(r.doc.components.map((c) => c.name)).toEqual(COMPONENTS['8.8']);
    expect(r.code).toBe(0);
  });

  it('two installations in one namespace: CAMUNDA-RELEASE-AMBIGUOUS, then --release picks one', async () => {
    const namespace = ns('two');
    install(w, '8.8', { namespace, releaseName: 'blue' });
    install(w, '8.8', { namespace, releaseName: 'green', explicitServiceAccounts: false });
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes()).toEqual(['CAMUNDA-RELEASE-AMBIGUOUS:fail']);
    expect(r.doc.findings[0]?.remediation).toContain('blue, green');
    expect(r.code).toBe(1);
    const green = await runCamunda(w, ['-n', namespace, '--no-pods', '--release', 'green']);
    expect(green.doc.release?.name).toBe('green');
    expect(green.component('orchestration').serviceAccount).toBe('green-zeebe');
    expect(green.code).toBe(0);
  });

  it('CAMUNDA-NOT-FOUND: a namespace without Camunda', async () => {
    const namespace = ns('empty');
    w.s.api.addNamespace(namespace);
    const r = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(r.codes()).toEqual(['CAMUNDA-NO-RELEASE:info', 'CAMUNDA-NOT-FOUND:fail']);
    expect(r.doc.components).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('CAMUNDA-KUBE-ERROR: Secrets forbidden is a warning (workloads still read); workloads forbidden stops it', async () => {
    const namespace = ns('rbac');
    install(w, '8.8', { namespace });
    w.s.api.forbid({ verb: 'list', resource: 'secrets', namespace });
    const noSecrets = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(noSecrets.codes()).toEqual(['CAMUNDA-KUBE-ERROR:warn', 'CAMUNDA-NO-RELEASE:info']);
    expect(noSecrets.doc.components.length).toBe(COMPONENTS['8.8'].length);
    expect(noSecrets.code).toBe(0);
    w.s.api.forbid({ verb: 'list', resource: 'deployments', namespace });
    const none = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(none.codes()).toContain('CAMUNDA-KUBE-ERROR:fail');
    expect(none.doc.findings.find((f) => f.status === 'fail')?.remediation).toContain(
      'k8s/camunda-rbac.yaml',
    );
    expect(none.code).toBe(1);
  });
});

describe('camunda: what is printed', () => {
  it('a password in the values never reaches the output, text or JSON', async () => {
    const canary = 'Canary-Pw-7f3k9QzX';
    const namespace = ns('canary');
    install(w, '8.8', { namespace, canary });
    const json = await runCamunda(w, ['-n', namespace, '--no-pods']);
    expect(json.stdout + json.stderr).not.toContain(canary);
    expect(json.doc.components.length).toBeGreaterThan(0);
    const text = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'text']);
    expect(text.stdout).toContain('==== identity');
    expect(text.stdout + text.stderr).not.toContain(canary);
  });

  it('-o text: one line per component with its ServiceAccount, role, Aurora, OpenSearch and verdict, then details', async () => {
    const namespace = ns('text');
    install(w, '8.8', { namespace });
    const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'text']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain(`namespace ${namespace}, release camunda revision 2`);
    expect(lines[2]).toMatch(/^COMPONENT\s+SERVICEACCOUNT\s+ROLE\s+AURORA\s+OPENSEARCH\s+VERDICT$/);
    const row = lines.find((l) => l.startsWith('identity '))!;
    expect(row).toMatch(
      new RegExp(
        `^identity\\s+identity-sa\\s+camunda-identity-aurora\\s+identity_irsa@${AURORA_HOST.replace(/\./g, '\\.')}:5432/identity\\s+-\\s+PASS$`,
      ),
    );
    expect(lines.find((l) => l.startsWith('orchestration '))).toContain(`https://${OPENSEARCH_HOST}:443`);
    expect(r.stdout).toContain('==== identity (Deployment/camunda-identity)');
  });
});
