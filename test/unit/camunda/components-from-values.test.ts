import { describe, expect, it } from 'vitest';
import type { CamundaComponent } from '../../../src/camunda/camunda-component.js';
import { componentsFromRelease, componentsFromValues } from '../../../src/camunda/components-from-values.js';
import { readDeployedRelease } from '../../../src/camunda/read-deployed-release.js';
import { releaseValuesView } from '../../../src/camunda/values-view.js';
import { type CamundaFixtureOptions, camundaFixture } from '../../harness/camunda/camunda-fixture.js';
import { chartDefaults, type Line } from '../../harness/camunda/chart-defaults.js';
import { AURORA_HOST, OPENSEARCH_HOST, role } from '../../harness/camunda/irsa-values.js';

function fromRelease(line: Line, opts: CamundaFixtureOptions = {}): CamundaComponent[] {
  const r = readDeployedRelease(camundaFixture(line, opts).secrets);
  if (!r.ok) throw new Error(r.message);
  const v = componentsFromRelease(r.release);
  if (!v.ok) throw new Error(v.message);
  return [...v.components];
}
const byId = (cs: CamundaComponent[], id: string) => cs.find((c) => c.id === id)!;

describe('componentsFromRelease', () => {
  it('8.7: the separate apps, their workloads, ServiceAccounts, roles and targets, with provenance', () => {
    const cs = fromRelease('8.7');
    expect(cs.map((c) => `${c.workload.kind}/${c.workload.name.value}`)).toEqual([
      'StatefulSet/camunda-zeebe',
      'Deployment/camunda-zeebe-gateway',
      'Deployment/camunda-operate',
      'Deployment/camunda-tasklist',
      'Deployment/camunda-optimize',
      'Deployment/camunda-identity',
      'StatefulSet/camunda-keycloak',
      'Deployment/camunda-web-modeler-restapi',
      'Deployment/camunda-web-modeler-webapp',
      'Deployment/camunda-web-modeler-websockets',
      'Deployment/camunda-connectors',
    ]);
    const zeebe = byId(cs, 'zeebe');
    expect(zeebe.workload.name.source).toBe('chart-default:global.zeebeClusterName');
    expect(zeebe.serviceAccount).toEqual({ value: 'zeebe-sa', source: 'values:zeebe.serviceAccount.name' });
    expect(zeebe.roleArn?.value).toBe(role('camunda-opensearch'));
    expect(zeebe.opensearch[0]).toMatchObject({
      purpose: 'exporter',
      host: { value: OPENSEARCH_HOST },
      aws: { value: true, source: 'values:global.opensearch.aws.enabled' },
    });
    const identity = byId(cs, 'identity').postgres[0]!;
    expect(identity).toMatchObject({
      host: { value: AURORA_HOST, source: 'values:identity.env[0]' },
      user: { value: 'identity_irsa' },
      iam: { value: true },
    });
    const keycloak = byId(cs, 'keycloak').postgres[0]!;
    expect(keycloak).toMatchObject({
      host: { source: 'values:identityKeycloak.externalDatabase.host' },
      user: { value: 'keycloak_irsa' },
      iam: { value: true },
    });
    expect(byId(cs, 'web-modeler-restapi').postgres[0]).toMatchObject({
      user: { value: 'modeler_irsa', source: 'values:webModeler.restapi.externalDatabase.user' },
    });
  });

  it('8.10: no Keycloak, Web Modeler from camundaHub, identity with its externalDatabase', () => {
    const cs = fromRelease('8.10');
    expect(cs.map((c) => c.id)).toEqual([
      'orchestration',
      'optimize',
      'identity',
      'web-modeler-restapi',
      'web-modeler-websockets',
      'connectors',
    ]);
    expect(byId(cs, 'web-modeler-restapi')).toMatchObject({
      serviceAccount: { value: 'webmodeler-sa', source: 'values:camundaHub.serviceAccount.name' },
      postgres: [
        {
          user: { value: 'modeler_irsa', source: 'values:camundaHub.restapi.externalDatabase.username' },
          iam: { value: true },
        },
      ],
    });
    expect(byId(cs, 'orchestration').opensearch.map((o) => o.purpose)).toEqual([
      'secondary-storage',
      'exporter',
      'camunda-exporter',
    ]);
  });

  it('derives names from nameOverride/fullnameOverride, and ServiceAccounts from the component fullname', () => {
    const cs = fromRelease('8.8', {
      releaseName: 'prod',
      explicitServiceAccounts: false,
      componentOverrides: {
        orchestration: { nameOverride: 'core' },
        identity: { fullnameOverride: 'idp' },
        webModeler: { nameOverride: 'modeler' },
      },
    });
    expect(byId(cs, 'orchestration')).toMatchObject({
      workload: {
        name: { value: 'prod-core', source: 'derived:componentFullname(values:orchestration.nameOverride)' },
      },
      serviceAccount: {
        value: 'prod-core',
        source: 'derived:serviceAccountName(derived:componentFullname(values:orchestration.nameOverride))',
      },
    });
    expect(byId(cs, 'identity').workload.name).toEqual({
      value: 'idp',
      source: 'values:identity.fullnameOverride',
    });
    expect(byId(cs, 'web-modeler-websockets').workload.name.value).toBe('prod-modeler-websockets');
    expect(byId(cs, 'keycloak').serviceAccount.value).toBe('prod-keycloak');
  });

  const view = (line: Line, user: Record<string, unknown>) => releaseValuesView(chartDefaults(line), user);
  const ids = (line: Line, user: Record<string, unknown>) =>
    componentsFromValues(line, view(line, user), { name: 'c' }).map((c) => c.id);

  it("follows each line's enablement rules", () => {
    expect(ids('8.7', { identity: { keycloak: { enabled: false } } })).not.toContain('keycloak');
    expect(ids('8.7', {})).toContain('keycloak');
    expect(ids('8.8', {})).toEqual(['orchestration', 'connectors']);
    expect(ids('8.9', { optimize: { enabled: true }, global: { noSecondaryStorage: true } })).not.toContain(
      'optimize',
    );
    expect(
      ids('8.10', {
        camundaHub: { enabled: true },
        identity: { enabled: true },
        global: { topology: { mode: 'orchestration' } },
      }),
    ).toEqual(['orchestration', 'connectors']);
    expect(ids('8.10', { camundaHub: { enabled: true }, global: { topology: { mode: 'hub' } } })).toEqual([
      'web-modeler-restapi',
      'web-modeler-websockets',
    ]);
  });

  it('uses "default" when the chart creates no ServiceAccount, and then knows no role', () => {
    const [c] = componentsFromValues(
      '8.8',
      view('8.8', {
        orchestration: {
          serviceAccount: { enabled: false, annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' } },
        },
      }),
      { name: 'c' },
    );
    expect(c!.serviceAccount.value).toBe('default');
    expect(c!.roleArn).toBeUndefined();
  });

  it('refuses a chart it does not know', () => {
    const r = readDeployedRelease(camundaFixture('8.8').secrets);
    if (!r.ok) throw new Error(r.message);
    expect(
      componentsFromRelease({
        ...r.release,
        chart: { ...r.release.chart, version: '11.0.0', appVersion: '8.6.x' },
      }),
    ).toMatchObject({
      ok: false,
      problem: 'unknown-chart-line',
    });
  });
});
