// Bundles the CLI with esbuild: dist/irsa-doctor.mjs (the shell; each command's code in dist/chunks/,
// loaded when that command runs) and dist/agent.mjs, the agent the image ships (no launcher, no
// Kubernetes client; its code in dist/agent-chunks/, the Aurora and OpenSearch clients in chunks of their
// own that load only with --postgres / --opensearch). Both are minified; each .mjs has a .map beside it
// (without the sources) that --debug turns on, so a stack trace names our functions and files.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Node built-ins imported from ESM code become `require()` calls where the importing module starts,
 * instead of `import` statements at the top of the output file. Two reasons: an ESM bundle hoists every
 * `import` to its top, so a built-in only a lazily loaded module needs (zlib for OpenSearch, worker
 * threads for pg) would load at every start; and Node's ESM view of a built-in reads every export once,
 * which for node:http loads the whole bundled undici (its lazy WebSocket and EventSource getters), about
 * a fifth of the agent's start-up, although nothing here uses undici.
 */
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z][a-z0-9_/]*$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      const name = args.path.replace(/^node:/, '');
      // The lazy module's own require() of the built-in is the real one.
      if (args.namespace === 'lazy-builtin') return { path: `node:${name}`, external: true };
      if (LAZY_BUILTINS.has(name)) return { path: name, namespace: 'lazy-builtin' };
      return args.kind !== 'require-call' ? { path: name, namespace: 'node-builtin' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: lazyBuiltin(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Built-ins a dependency requires where it starts but uses only on a path we never take: the SDK's HTTP
 * handler module requires node:http2 at its top for its HTTP/2 handler and reads `http2.constants` there
 * (no AWS endpoint the agent or the audit calls speaks HTTP/2), and loading http2 costs every start a
 * few milliseconds. Such a built-in becomes an object with a getter per export (the names read here, at
 * build time, from the same Node major; plain-object exports such as `constants` get getters one level
 * down), which loads the built-in on first use.
 */
const LAZY_BUILTINS = new Set(['http2']);

function lazyBuiltin(name) {
  const real = createRequire(import.meta.url)(`node:${name}`);
  const shape = Object.fromEntries(
    Object.keys(real).map((key) => {
      const v = real[key];
      return [
        key,
        v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype ? Object.keys(v) : 0,
      ];
    }),
  );
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(`node:${name}`)}));`,
    'const lazy = (target, keys, get) => {',
    '  for (const key of keys) Object.defineProperty(target, key, { enumerable: true, get: () => get()[key] });',
    '  return target;',
    '};',
    `for (const [key, inner] of Object.entries(${JSON.stringify(shape)}))`,
    '  if (inner) exports[key] = lazy({}, inner, () => load()[key]);',
    '  else lazy(exports, [key], load);',
  ].join('\n');
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  splitting: true,
  minify: true,
  // Stack traces under --debug: mappings and names only (the sources would triple the size); a frame
  // reads `at stsCheck (src/agent/sts/sts-check.ts:41:7)`.
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: { __IRSA_DOCTOR_VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require(); so do the built-ins above. Give the ESM bundle one.
  banner: {
    js: "import { createRequire as __irsaCreateRequire } from 'node:module'; const require = __irsaCreateRequire(import.meta.url);",
  },
  // Optional native/peer modules pg, the SDK and the proxy agents (kerberos, for Negotiate proxy
  // authentication, which the tool never asks for) probe for at runtime; absent is fine.
  external: ['pg-native', 'cloudflare:sockets', 'kerberos'],
  plugins: [builtinsViaRequire],
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
};

/**
 * The agent prefers a package's ES module build (`module`) to its CommonJS one (`main`), which esbuild
 * takes first for Node by default. The AWS SDK ships both and declares itself free of side effects, so
 * from its ES modules esbuild keeps only what the agent calls (one STS client's two commands, not every
 * command, paginator and schema of the package), and no module is wrapped to be evaluated on require
 * and have its exports copied into an ES namespace at start.
 */
const AGENT_MAIN_FIELDS = ['module', 'main'];

/**
 * Except the RDS client (only `--postgres` loads it): its ES build evaluates every schema of the
 * service at its top, and the V8 compile cache the image ships then holds 0.8 MB for it instead of a
 * few dozen KB, which alone would take the image over its size limit (image/smoke.ts).
 */
const AGENT_COMMONJS_PACKAGES = ['@aws-sdk/client-rds'];
const commonJsBuildOf = {
  name: 'commonjs-build-of',
  setup(b) {
    const resolveMain = createRequire(import.meta.url).resolve;
    const filter = new RegExp(
      `^(${AGENT_COMMONJS_PACKAGES.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`,
    );
    b.onResolve({ filter }, (args) => ({ path: resolveMain(args.path) }));
  },
};

/**
 * Modules the agent's SDK packages import dynamically on paths a Node process never takes: `bowser`
 * parses a browser's user agent (util-user-agent-browser, which only a browser build calls and which
 * copes with a module that has no parser), and the Cognito Identity provider is one of the exports of
 * @aws-sdk/credential-providers that the agent does not import (it uses fromNodeProviderChain and
 * fromHttp). esbuild keeps the target of every dynamic import it sees, even in code it drops, so each
 * would be shipped in the image and its compile cache (about 0.1 MB together, with the image at its
 * size limit) for nothing. In the agent they become an empty module.
 */
const AGENT_UNREACHABLE = ['bowser', '@aws-sdk/credential-provider-cognito-identity'];
const unreachableInAgent = {
  name: 'unreachable-in-agent',
  setup(b) {
    const filter = new RegExp(`^(${AGENT_UNREACHABLE.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'unreachable-in-agent' }));
    b.onLoad({ filter: /.*/, namespace: 'unreachable-in-agent' }, () => ({
      contents: 'export default {};',
      loader: 'js',
    }));
  },
};

/** Every output directory of chunks; what a build did not write there is removed afterwards. */
const CHUNK_DIRS = ['dist/chunks', 'dist/agent-chunks'];

const results = await Promise.all([
  build({ ...common, entryPoints: { 'irsa-doctor': 'src/main.ts' }, chunkNames: 'chunks/[name]-[hash]' }),
  build({
    ...common,
    entryPoints: { agent: 'src/agent/entry.ts' },
    chunkNames: 'agent-chunks/[name]-[hash]',
    mainFields: AGENT_MAIN_FIELDS,
    plugins: [commonJsBuildOf, unreachableInAgent, builtinsViaRequire],
  }),
]);

// Chunk names carry hashes: drop chunks this build did not write, so old ones never pile up or get
// shipped. Deleting afterwards (not emptying dist/ first) keeps a CLI that is running meanwhile whole.
const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => relative('.', f)));
for (const dir of CHUNK_DIRS.filter((d) => existsSync(d))) {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, name.name);
    if (name.isFile() && !written.has(file)) rmSync(file, { force: true });
  }
}
