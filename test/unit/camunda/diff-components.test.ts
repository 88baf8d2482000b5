import { describe, expect, it } from 'vitest';
import { componentsFromRelease } from '../../../src/camunda/components-from-values.js';
import { componentsFromWorkloads } from '../../../src/camunda/components-from-workloads.js';
import { diffComponents } from '../../../src/camunda/diff-components.js';
import { readDeployedRelease } from '../../../src/camunda/read-deployed-release.js';
import { type CamundaFixtureOptions, camundaFixture } from '../../harness/camunda/camunda-fixture.js';
import type { Line } from '../../harness/camunda/chart-defaults.js';

function drift(line: Line, opts: CamundaFixtureOptions) {
  const f = camundaFixture(line, opts);
  const r = readDeployedRelease(f.secrets);
  if (!r.ok) throw new Error(r.message);
  const v = componentsFromRelease(r.release);
  if (!v.ok) throw new Error(v.message);
  return diffComponents(v.components, componentsFromWorkloads(f).components);
}

describe('diffComponents', () => {
  it('finds pods that no longer match the release: ServiceAccount, Aurora host, AWS switch', () => {
    const d = drift('8.8', {
      liveValues: {
        identity: { serviceAccount: { name: 'hand-edited-sa' } },
        identityKeycloak: { externalDatabase: { host: 'other-aurora.example.com' } },
        global: { opensearch: { aws: { enabled: false } } },
      },
    });
    expect(
      d.map((x) => `${x.component} ${x.field} ${String(x.release?.value)} -> ${String(x.live?.value)}`),
    ).toEqual(
      expect.arrayContaining([
        'identity serviceAccount identity-sa -> hand-edited-sa',
        'keycloak postgres[keycloak].host camunda-aurora.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com -> other-aurora.example.com',
        'orchestration opensearch[secondary-storage].aws true -> false',
        'optimize opensearch[optimize].aws true -> false',
      ]),
    );
    const sa = d.find((x) => x.field === 'serviceAccount')!;
    expect(sa.release?.source).toBe('values:identity.serviceAccount.name');
    expect(sa.live?.source).toBe('Deployment/camunda-identity spec.template.spec.serviceAccountName');
  });

  it('finds a component only one side has, and a connection only one side makes', () => {
    const d = drift('8.7', {
      liveValues: {
        webModeler: { enabled: false },
        identity: { externalDatabase: { enabled: false }, env: [] },
      },
    });
    expect(d.map((x) => `${x.component} ${x.field}`)).toEqual(
      expect.arrayContaining([
        'web-modeler-restapi present',
        'web-modeler-webapp present',
        'identity postgres[datasource]',
      ]),
    );
    expect(d.find((x) => x.component === 'web-modeler-restapi')).toMatchObject({ release: { value: true } });
    expect(d.find((x) => x.component === 'web-modeler-restapi')!.live).toBeUndefined();
  });

  it('is empty when both sides agree', () => {
    expect(drift('8.10', {})).toEqual([]);
  });
});
