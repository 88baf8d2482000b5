import { describe, expect, it } from 'vitest';
import { helmReleaseHistories } from '../../../src/camunda/helm-release-histories.js';
import type { SecretLike } from '../../../src/camunda/kube-objects.js';
import { camundaFixture } from '../../harness/camunda/camunda-fixture.js';

const secret = (
  name: string,
  revision: number,
  status: string,
  extra: Partial<SecretLike> = {},
): SecretLike => ({
  type: 'helm.sh/release.v1',
  metadata: {
    name: `sh.helm.release.v1.${name}.v${revision}`,
    labels: { owner: 'helm', name, status, version: String(revision) },
  },
  data: { release: '' },
  ...extra,
});

describe('helmReleaseHistories', () => {
  it('picks the newest deployed revision even when a newer upgrade failed', () => {
    const [h] = helmReleaseHistories(
      camundaFixture('8.8', { newerRevision: 'failed', previousRevisions: 2 }).secrets,
    );
    expect(h).toMatchObject({
      name: 'camunda',
      revisions: 4,
      deployed: { revision: 3 },
      latest: { revision: 4, status: 'failed' },
    });
    expect(h!.newer.map((r) => r.status)).toEqual(['failed']);
  });

  it('reports a pending upgrade above the deployed revision', () => {
    const [h] = helmReleaseHistories([secret('c', 1, 'deployed'), secret('c', 2, 'pending-upgrade')]);
    expect(h!.deployed?.revision).toBe(1);
    expect(h!.newer.map((r) => [r.revision, r.status])).toEqual([[2, 'pending-upgrade']]);
  });

  it('takes the highest of several deployed revisions, as Helm does after concurrent upgrades', () => {
    const [h] = helmReleaseHistories([
      secret('c', 3, 'deployed'),
      secret('c', 10, 'deployed'),
      secret('c', 9, 'superseded'),
    ]);
    expect(h!.deployed?.revision).toBe(10);
  });

  it('has no deployed revision when the first install failed', () => {
    const [h] = helmReleaseHistories([secret('c', 1, 'failed')]);
    expect(h!.deployed).toBeUndefined();
    expect(h!.latest.status).toBe('failed');
  });

  it('ignores Secrets that are not Helm releases, and groups by release name', () => {
    const hs = helmReleaseHistories([
      secret('b', 1, 'deployed'),
      secret('a', 1, 'deployed'),
      { metadata: { name: 'sh.helm.release.v1.x.v1', labels: { owner: 'someone' } } },
      secret('t', 1, 'deployed', { type: 'Opaque' }),
      { metadata: { name: 'plain' } },
    ]);
    expect(hs.map((h) => h.name)).toEqual(['a', 'b']);
  });

  it('reads name and revision from the Secret name when labels lack them, and odd statuses as unknown', () => {
    const [h] = helmReleaseHistories([
      {
        type: 'helm.sh/release.v1',
        metadata: { name: 'sh.helm.release.v1.my.rel.v7', labels: { owner: 'helm', status: 'weird' } },
      },
    ]);
    expect(h).toMatchObject({ name: 'my.rel', latest: { revision: 7, status: 'unknown' } });
  });
});
