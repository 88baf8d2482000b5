import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readDeployedRelease } from '../../../src/camunda/read-deployed-release.js';
import { camundaFixture } from '../../harness/camunda/camunda-fixture.js';
import { helmReleaseSecret } from '../../harness/camunda/helm-release-secret.js';

const other = (name: string, status: 'deployed' | 'pending-install' = 'deployed') => {
  const s = helmReleaseSecret({
    name,
    namespace: 'camunda',
    revision: 1,
    status,
    chartVersion: '1.2.3',
    appVersion: '1.0',
    chartValues: {},
    config: {},
    manifest: '',
  });
  // Another chart than Camunda's.
  const json = JSON.parse(
    gunzipSync(Buffer.from(Buffer.from(s.data.release, 'base64').toString(), 'base64')).toString(),
  );
  json.chart.metadata.name = 'ingress-nginx';
  const gz = gzipSync(JSON.stringify(json));
  return { ...s, data: { release: Buffer.from(gz.toString('base64')).toString('base64') } };
};

describe('readDeployedRelease', () => {
  it('decodes the deployed revision, not a newer failed one', () => {
    const f = camundaFixture('8.7', { newerRevision: 'failed' });
    const r = readDeployedRelease(f.secrets);
    if (!r.ok) throw new Error(r.message);
    expect(r.release.revision).toBe(2);
    expect(r.history.newer[0]).toMatchObject({ revision: 3, status: 'failed' });
    // The failed revision's values never reach the model.
    expect(JSON.stringify(r.release.config)).not.toContain('never-deployed-sa');
  });

  it('finds the Camunda release among other charts without a name', () => {
    const r = readDeployedRelease([...camundaFixture('8.10').secrets, other('ingress')]);
    expect(r.ok && r.release.name).toBe('camunda');
  });

  it('says ambiguous when two Camunda releases are deployed, and reads the one named', () => {
    const secrets = [
      ...camundaFixture('8.8').secrets,
      ...camundaFixture('8.9', { releaseName: 'c2' }).secrets,
    ];
    expect(readDeployedRelease(secrets)).toMatchObject({
      ok: false,
      problem: 'ambiguous',
      releases: ['c2', 'camunda'],
    });
    const r = readDeployedRelease(secrets, { releaseName: 'c2' });
    expect(r.ok && r.release.chart.version).toBe('14.8.4');
  });

  it.each([
    ['no-release', [], { releaseName: 'camunda' }],
    ['no-release', [], {}],
    ['not-camunda', [other('ingress')], { releaseName: 'ingress' }],
    ['no-deployed-revision', [other('x', 'pending-install')], { releaseName: 'x' }],
    ['no-deployed-revision', [other('x', 'pending-install')], {}],
  ] as const)('%s', (problem, secrets, opts) => {
    expect(readDeployedRelease(secrets, opts)).toMatchObject({ ok: false, problem });
  });

  it('passes on a decoding problem of the chosen revision', () => {
    const f = camundaFixture('8.8', { previousRevisions: 0 });
    const broken = [{ ...f.secrets[0]!, data: { release: 'bm90IGJhc2U2NA==' } }];
    expect(readDeployedRelease(broken, { releaseName: 'camunda' })).toMatchObject({
      ok: false,
      problem: 'not-base64',
    });
  });
});
