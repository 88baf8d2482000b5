import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeHelmRelease } from '../../../src/camunda/decode-helm-release.js';
import { camundaFixture } from '../../harness/camunda/camunda-fixture.js';

const CANARY = 'Decode-Canary-4c4c4c';
/** data.release as the API returns it: base64 of Helm's base64 string. */
const wire = (bytes: Buffer) => Buffer.from(bytes.toString('base64')).toString('base64');

describe('decodeHelmRelease', () => {
  it('decodes a gzipped release Secret: chart, revision, status, values; the manifest is not kept', () => {
    const f = camundaFixture('8.10', { previousRevisions: 0 });
    const r = decodeHelmRelease(f.secrets[0]!.data.release);
    if (!r.ok) throw new Error(r.message);
    expect(r.compressed).toBe(true);
    expect(r.release).toMatchObject({
      name: 'camunda',
      namespace: 'camunda',
      revision: 1,
      status: 'deployed',
      chart: { name: 'camunda-platform', version: '15.0.0-alpha4', appVersion: '8.10.x' },
    });
    expect(r.release.config).toMatchObject({ camundaHub: { enabled: true } });
    expect(r.release.defaults).toMatchObject({ global: { topology: { mode: 'combined' } } });
    expect(JSON.stringify(r.release)).not.toContain('kind: StatefulSet');
  });

  it('decodes a release stored before Helm compressed them (no gzip magic)', () => {
    const f = camundaFixture('8.7', { previousRevisions: 0, gzip: false });
    const r = decodeHelmRelease(f.secrets[0]!.data.release);
    expect(r.ok && r.compressed).toBe(false);
    expect(r.ok && r.release.chart.version).toBe('12.13.3');
  });

  it('redacts passwords from the user values and the chart defaults, and nothing of the manifest remains', () => {
    const f = camundaFixture('8.8', { previousRevisions: 0, canary: CANARY });
    const r = decodeHelmRelease(f.secrets[0]!.data.release);
    if (!r.ok) throw new Error(r.message);
    expect(JSON.stringify(r.release)).not.toContain(CANARY);
    // The chart's own default first-user password "demo" goes too.
    expect(r.release.redacted).toEqual(
      expect.arrayContaining([
        'config.identity.firstUser.secret.inlineSecret',
        'config.webModeler.restapi.env[1].value',
        'defaults.identity.firstUser.password',
      ]),
    );
    expect(r.release.redacted.some((p) => p.startsWith('manifest'))).toBe(false);
    // What is not a password survives.
    expect(JSON.stringify(r.release.config)).toContain('wrapperPlugins=iam');
  });

  it.each([
    ['no data', undefined, 'not-base64'],
    ['outer layer not base64', '!!!not base64!!!', 'not-base64'],
    ['inner layer not base64', Buffer.from('{"name":"x"} plain').toString('base64'), 'not-base64'],
    ['gzip magic then garbage', wire(Buffer.from([0x1f, 0x8b, 0x08, 1, 2, 3, 4, 5])), 'corrupt-gzip'],
    ['not JSON', wire(gzipSync('name: camunda')), 'not-json'],
    ['JSON but not a release', wire(gzipSync(JSON.stringify({ kind: 'ConfigMap' }))), 'not-a-release'],
  ] as const)('%s: %s', (_name, data, problem) => {
    const r = decodeHelmRelease(data);
    expect(r).toMatchObject({ ok: false, problem });
  });

  it('refuses an encoded value over the size limit without decoding it', () => {
    const r = decodeHelmRelease('A'.repeat(101), { maxEncodedChars: 100, maxJsonBytes: 1000 });
    expect(r).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('stops decompressing a gzip bomb at the JSON limit', () => {
    const bomb = wire(gzipSync(Buffer.alloc(5_000_000, 0x20)));
    expect(bomb.length).toBeLessThan(20_000);
    const r = decodeHelmRelease(bomb, { maxEncodedChars: 1_000_000, maxJsonBytes: 100_000 });
    expect(r).toMatchObject({ ok: false, problem: 'too-large' });
  });
});
