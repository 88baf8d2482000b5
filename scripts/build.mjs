// Bundles the CLI with esbuild: dist/irsa-doctor.mjs (check + run) and dist/agent.mjs, the
// self-contained agent the image ships (no launcher, no Kubernetes client).
import { readFileSync, rmSync } from 'node:fs';
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
  define: { __IRSA_DOCTOR_VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __irsaCreateRequire } from 'node:module'; const require = __irsaCreateRequire(import.meta.url);",
  },
  // Optional native/peer modules pg and the SDK probe for at runtime; absent is fine.
  external: ['pg-native', 'cloudflare:sockets'],
};

// Chunk names carry hashes: start clean so old chunks never pile up or get shipped.
rmSync('dist', { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: { 'irsa-doctor': 'src/cli.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  }),
  build({
    ...common,
    entryPoints: { agent: 'src/agent/cli.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    minify: true,
  }),
]);
