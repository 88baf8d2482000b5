// A tiny `kustomize build` for the features k8s/ uses, written from kustomize's documented rules (no
// kustomize or kubectl binary on CI): `resources` (files inside the kustomization's directory, and
// other kustomization directories), `namespace` (metadata.namespace of every namespaced object; of the
// binding subjects only those named "default", kustomize's default `setRoleBindingSubjects` mode), and,
// once at the end of the build, the back-reference fix that gives a binding's ServiceAccount subject
// the namespace of the ServiceAccount it names in the same build. Anything else in a kustomization
// is refused, so a manifest that starts to rely on another feature fails here instead of passing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadAll as loadAllYaml, load as loadYaml } from 'js-yaml';

// biome-ignore lint/suspicious/noExplicitAny: plain manifest JSON.
export type Manifest = Record<string, any>;

interface Tracked {
  object: Manifest;
  /** The namespace the object was written with (before any kustomization set one). */
  originalNamespace: string;
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PriorityClass',
]);
const NAMESPACED = new Set([
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'Job',
  'CronJob',
  'Deployment',
]);
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);

/**
 * The objects `kubectl apply -k DIR` would send, in kustomize's order (resources as listed).
 * `namespace`: as if the top kustomization's `namespace:` line said this instead.
 */
export function kustomizeBuild(dir: string, namespace?: string): Manifest[] {
  const tracked = accumulate(resolve(dir), namespace);
  fixServiceAccountSubjects(tracked);
  return tracked.map((t) => t.object);
}

function accumulate(dir: string, namespaceOverride?: string): Tracked[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir} has no kustomization.yaml`);
  const k = loadYaml(readFileSync(file, 'utf8')) as Manifest;
  for (const key of Object.keys(k))
    if (!KNOWN_FIELDS.has(key)) throw new Error(`${file}: "${key}" is not supported by this renderer`);
  const out: Tracked[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    const path = resolve(dir, entry);
    if (statSync(path).isDirectory()) {
      out.push(...accumulate(path));
      continue;
    }
    // kustomize's default load restrictor: a file must lie inside the kustomization's own directory.
    const rel = relative(dir, path);
    if (rel.startsWith(`..${sep}`) || rel === '..')
      throw new Error(`${file}: file ${entry} is outside ${dirname(file)} (kustomize refuses it)`);
    for (const doc of loadAllYaml(readFileSync(path, 'utf8')) as Manifest[]) {
      if (!doc) continue;
      out.push({ object: doc, originalNamespace: doc.metadata?.namespace ?? '' });
    }
  }
  const seen = new Set<string>();
  for (const t of out) {
    const id = `${t.object.kind}/${t.object.metadata?.namespace ?? ''}/${t.object.metadata?.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is included twice`);
    seen.add(id);
  }
  const namespace = namespaceOverride ?? k.namespace;
  if (namespaceOverride !== undefined && typeof k.namespace !== 'string')
    throw new Error(`${file} has no namespace: line to change`);
  if (typeof namespace === 'string' && namespace !== '')
    for (const t of out) setNamespace(t.object, namespace);
  return out;
}

function setNamespace(o: Manifest, namespace: string): void {
  const kind = String(o.kind);
  if (!CLUSTER_SCOPED.has(kind) && !NAMESPACED.has(kind))
    throw new Error(`kind ${kind}: scope unknown to this renderer; add it to CLUSTER_SCOPED or NAMESPACED`);
  if (NAMESPACED.has(kind)) o.metadata = { ...o.metadata, namespace };
  if (kind === 'Namespace') o.metadata.name = namespace;
  if (BINDINGS.has(kind))
    for (const s of (o.subjects ?? []) as Manifest[]) if (s.name === 'default') s.namespace = namespace;
}

/**
 * kustomize's name-reference fix for binding subjects, run once after every transformer: a subject
 * that names a ServiceAccount of this build takes that ServiceAccount's namespace. A subject that
 * already has a namespace only matches a ServiceAccount originally written in it (an unset one counts
 * as "default") or now in it, and otherwise stays as written.
 */
function fixServiceAccountSubjects(all: Tracked[]): void {
  const accounts = all.filter((t) => t.object.kind === 'ServiceAccount');
  for (const t of all) {
    if (!BINDINGS.has(t.object.kind)) continue;
    for (const s of (t.object.subjects ?? []) as Manifest[]) {
      if (s.kind !== 'ServiceAccount') continue;
      let candidates = accounts.filter((a) => a.object.metadata?.name === s.name);
      if (s.namespace !== undefined) {
        const byOriginal = candidates.filter((a) => (a.originalNamespace || 'default') === s.namespace);
        candidates = byOriginal.length
          ? byOriginal
          : candidates.filter((a) => a.object.metadata?.namespace === s.namespace);
      }
      const namespaces = new Set(candidates.map((a) => a.object.metadata?.namespace ?? ''));
      if (candidates.length === 0) continue;
      if (namespaces.size > 1)
        throw new Error(`${t.object.kind} ${t.object.metadata?.name}: subject ${s.name} is ambiguous`);
      const ns = candidates[0]!.object.metadata?.namespace;
      if (ns) s.namespace = ns;
    }
  }
}
