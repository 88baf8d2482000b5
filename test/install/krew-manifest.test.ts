import { loadYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type KrewRelease, krewManifest } from '../../scripts/krew-manifest.js';

const release: KrewRelease = {
  version: '1.2.3',
  homepage: 'https://github.com/irsa-doctor/irsa-doctor',
  uri: 'https://github.com/irsa-doctor/irsa-doctor/releases/download/v1.2.3/irsa-doctor-1.2.3.tgz',
  sha256: 'ab'.repeat(32),
  minimumNode: '22.19.0',
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    homepage: string;
    shortDescription: string;
    description: string;
    caveats: string;
    platforms: {
      selector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
      uri: string;
      sha256: string;
      bin: string;
    }[];
  };
}

describe('krewManifest', () => {
  it('is a krew v1alpha2 Plugin named irsa-doctor, so kubectl runs it as `kubectl irsa-doctor`', () => {
    const m = loadYaml<Manifest>(krewManifest(release));
    expect(m.apiVersion).toBe('krew.googlecontainertools.github.com/v1alpha2');
    expect(m.kind).toBe('Plugin');
    expect(m.metadata.name).toBe('irsa-doctor');
    expect(m.spec.version).toBe('v1.2.3');
    expect(m.spec.homepage).toBe(release.homepage);
    expect(m.spec.shortDescription.length).toBeLessThanOrEqual(60);
    expect(m.spec.description.trim()).not.toBe('');
  });

  it('installs the npm tarball on macOS and Linux, any CPU, with its sha256 and the kubectl entry point', () => {
    const m = loadYaml<Manifest>(krewManifest(release));
    expect(m.spec.platforms).toEqual([
      {
        selector: { matchExpressions: [{ key: 'os', operator: 'In', values: ['darwin', 'linux'] }] },
        uri: release.uri,
        sha256: release.sha256,
        // npm tarballs hold everything under package/.
        bin: 'package/bin/kubectl-irsa_doctor',
      },
    ]);
  });

  it('tells the user before the first run that it needs Node and which image it starts', () => {
    const m = loadYaml<Manifest>(krewManifest(release));
    expect(m.spec.caveats).toContain('Node.js 22.19.0 or later');
    expect(m.spec.caveats).toContain('ghcr.io/irsa-doctor/irsa-doctor:1.2.3');
  });

  it('refuses what krew would reject later: a v-prefixed version, a bad hash, a plain-http or non-tar URL', () => {
    expect(() => krewManifest({ ...release, version: 'v1.2.3' })).toThrow('not a semantic version');
    expect(() => krewManifest({ ...release, sha256: 'AB'.repeat(32) })).toThrow('not a hex sha256');
    expect(() => krewManifest({ ...release, sha256: 'ab' })).toThrow('not a hex sha256');
    expect(() => krewManifest({ ...release, uri: release.uri.replace('https', 'http') })).toThrow(
      'https URL',
    );
    expect(() => krewManifest({ ...release, uri: release.uri.replace('.tgz', '.zip') })).toThrow('.tar.gz');
  });
});
