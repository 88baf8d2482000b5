// The krew plugin manifest for a release: `kubectl krew install --manifest=irsa-doctor.yaml` installs
// the npm package's tarball (the same file the release publishes to npm) as `kubectl irsa-doctor`.

export interface KrewRelease {
  /** package.json's version, without the v. */
  version: string;
  /** The GitHub repository, https://github.com/OWNER/NAME. */
  homepage: string;
  /** Where the release serves the npm tarball. */
  uri: string;
  /** sha256 of that tarball, hex. */
  sha256: string;
  /** The oldest Node the plugin runs on (bin/node-version-problem.cjs). */
  minimumNode: string;
}

/** Renders the manifest as YAML; every string goes through JSON quoting, which YAML reads as is. */
export function krewManifest(release: KrewRelease): string {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(release.version)) {
    throw new Error(`not a semantic version: "${release.version}"`);
  }
  if (!/^[0-9a-f]{64}$/.test(release.sha256)) throw new Error(`not a hex sha256: "${release.sha256}"`);
  if (!release.uri.startsWith('https://') || !/\.(tgz|tar\.gz)$/.test(release.uri)) {
    throw new Error(`krew needs an https URL of a .tar.gz, not "${release.uri}"`);
  }
  const q = JSON.stringify;
  return `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: irsa-doctor
spec:
  version: ${q(`v${release.version}`)}
  homepage: ${q(release.homepage)}
  shortDescription: Find out why a pod's AWS IRSA identity does not work
  description: |
    Runs irsa-doctor as a one-shot Job under the ServiceAccount under test and
    proves each link of IRSA / EKS Pod Identity from inside the cluster: the
    injected environment, the projected token, STS AssumeRoleWithWebIdentity,
    the credential chain (and a silent fall back to the node role), an IAM
    login to Aurora PostgreSQL and signed OpenSearch requests. Every finding
    has a stable code and the exact change that fixes it.
  caveats: |
    The plugin is JavaScript: it needs Node.js ${release.minimumNode} or later as \`node\` on PATH,
    and says so in one line when the node it finds is older.
    It creates a Job running ghcr.io/irsa-doctor/irsa-doctor:${release.version}.
  platforms:
    # The tarball is the npm package: plain JavaScript, the same file for every OS and CPU.
    # Windows is left out: krew runs only .exe entry points there.
    - selector:
        matchExpressions:
          - key: os
            operator: In
            values: [darwin, linux]
      uri: ${q(release.uri)}
      sha256: ${q(release.sha256)}
      bin: package/bin/kubectl-irsa_doctor
`;
}
