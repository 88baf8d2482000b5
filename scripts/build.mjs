// Bundles the CLI with esbuild: dist/irsa-doctor.mjs (check + run) and dist/agent.mjs, the
// self-contained agent the image ships (no launcher, no Kubernetes client).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: { __IRSA_DOCTOR_VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __irsaCreateRequire } from 'node:module'; const require = __irsaCreateRequire(import.meta.url);",
  },
  // Optional native/peer modules pg, the SDK and the proxy agents (kerberos, for Negotiate proxy
  // authentication, which the tool never asks for) probe for at runtime; absent is fine.
  external: ['pg-native', 'cloudflare:sockets', 'kerberos'],
};

const results = await Promise.all([
  build({
    ...common,
    entryPoints: { 'irsa-doctor': 'src/main.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  }),
  build({
    ...common,
    entryPoints: { agent: 'src/agent/entry.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    minify: true,
  }),
]);

// Chunk names carry hashes: drop chunks this build did not write, so old ones never pile up or get
// shipped. Deleting afterwards (not emptying dist/ first) keeps a CLI that is running meanwhile whole.
const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => relative('.', f)));
for (const name of readdirSync('dist/chunks', { withFileTypes: true })) {
  const file = join('dist/chunks', name.name);
  if (name.isFile() && !written.has(file)) rmSync(file, { force: true });
}
