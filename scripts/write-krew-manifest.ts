// Writes the krew manifest for the npm tarball a release publishes:
//   node scripts/run-ts.mjs scripts/write-krew-manifest.ts irsa-doctor-X.Y.Z.tgz irsa-doctor.yaml
// The version and repository come from package.json, the sha256 from the tarball itself, and the
// URL is where the release workflow uploads that tarball.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MINIMUM_NODE } from '../bin/node-version-problem.cjs';
import { krewManifest } from './krew-manifest.js';

const [tarball, out] = process.argv.slice(2);
if (!tarball || !out) {
  console.error('usage: node scripts/run-ts.mjs scripts/write-krew-manifest.ts TARBALL OUT.yaml');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  repository: { url: string };
};
const homepage = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const manifest = krewManifest({
  version: pkg.version,
  homepage,
  uri: `${homepage}/releases/download/v${pkg.version}/${basename(tarball)}`,
  sha256: createHash('sha256').update(readFileSync(tarball)).digest('hex'),
  minimumNode: MINIMUM_NODE,
});
writeFileSync(out, manifest);
console.log(`wrote ${out} for ${basename(tarball)}`);
