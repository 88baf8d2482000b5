import type { AppConfig, ConfigFile, ConfigValue, PropertyValue } from './app-config.js';
import type { ConfigMapLike, ContainerLike, PodSpecLike, VolumeLike } from './kube-objects.js';
import { type ConfigFileLimits, DEFAULT_CONFIG_FILE_LIMITS, readConfigFile } from './read-config-file.js';
import { isPlaceholderOnly, isSecretName, scrubSecretText } from './secret-like.js';
import { canonicalProperty } from './spring-property-name.js';

/**
 * What a container's application sees, from its pod template and the namespace's ConfigMaps:
 * env entries (a literal, a ConfigMap key, or a Secret, of which only the name and key are kept),
 * envFrom ConfigMaps, `$(VAR)` references expanded as the kubelet does, Java options, and the
 * ConfigMap files mounted into the container. Secrets are never read.
 */

export interface ResolveOptions {
  /** Default: the first container. */
  readonly containerName?: string;
  readonly configMaps: readonly ConfigMapLike[];
  readonly limits?: ConfigFileLimits;
  /** Hears every password-like literal that is dropped (for output redaction). */
  readonly onSecret?: (value: string) => void;
}

export type ResolveResult =
  | { readonly ok: true; readonly container: string; readonly config: AppConfig }
  | { readonly ok: false; readonly problem: string };

const MAX_ENV = 5_000;
const JAVA_OPTION_VARS = ['JAVA_TOOL_OPTIONS', 'JAVA_OPTS', 'JAVA_OPTIONS'];

export function resolveContainerConfig(spec: PodSpecLike | undefined, opts: ResolveOptions): ResolveResult {
  const containers = spec?.containers ?? [];
  const container = opts.containerName
    ? containers.find((c) => c.name === opts.containerName)
    : containers[0];
  if (!container) {
    return {
      ok: false,
      problem: opts.containerName
        ? `no container named ${opts.containerName}`
        : 'the pod template has no container',
    };
  }
  const notes: string[] = [];
  const configMaps = new Map<string, ConfigMapLike>();
  for (const cm of opts.configMaps) if (cm.metadata?.name) configMaps.set(cm.metadata.name, cm);
  const lit = literalWith(opts.onSecret);
  const env = resolveEnv(container, configMaps, notes, lit);
  const systemProperties = javaSystemProperties(env, lit);
  const commandLine = commandLineProperties(container, lit);
  const { springFiles, otherFiles } = mountedFiles(
    container,
    spec?.volumes ?? [],
    configMaps,
    env,
    notes,
    opts,
  );
  return {
    ok: true,
    container: container.name ?? '',
    config: { env, commandLine, systemProperties, springFiles, otherFiles, notes },
  };
}

type Literal = (name: string, value: string, source: string) => ConfigValue;

function literalWith(onSecret: ((value: string) => void) | undefined): Literal {
  return (name, value, source) => {
    if (value !== '' && isSecretName(name) && !isPlaceholderOnly(value)) {
      onSecret?.(value);
      return { source, redacted: true };
    }
    const s = scrubSecretText(value);
    return { source, value: s.text, ...(s.redacted ? { redacted: true as const } : {}) };
  };
}

function resolveEnv(
  container: ContainerLike,
  configMaps: ReadonlyMap<string, ConfigMapLike>,
  notes: string[],
  literal: Literal,
): Record<string, ConfigValue> {
  const env: Record<string, ConfigValue> = {};
  // The kubelet expands $(VAR) with the raw values, including ones we must not keep: track them apart.
  const raw = new Map<string, string>();
  const set = (name: string, v: ConfigValue, rawValue?: string) => {
    if (Object.keys(env).length >= MAX_ENV && !(name in env)) return;
    env[name] = v;
    if (rawValue === undefined) raw.delete(name);
    else raw.set(name, rawValue);
  };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef?.name) {
      const cm = configMaps.get(from.configMapRef.name);
      if (!cm) {
        notes.push(`envFrom ConfigMap ${from.configMapRef.name} was not found`);
        continue;
      }
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(prefix + key)) continue;
        const name = prefix + key;
        set(name, literal(name, value, `envFrom:configmap:${from.configMapRef.name}/${key}`), value);
      }
    } else if (from.secretRef?.name) {
      notes.push(
        `envFrom Secret ${from.secretRef.name}: its keys are not read; any setting may come from it`,
      );
    }
  }
  for (const e of container.env ?? []) {
    if (!e.name) continue;
    const vf = e.valueFrom;
    if (vf?.secretKeyRef) {
      const ref = { name: vf.secretKeyRef.name ?? '', key: vf.secretKeyRef.key ?? '' };
      set(e.name, { source: `env:${e.name} <- secret:${ref.name}/${ref.key}`, secretRef: ref });
    } else if (vf?.configMapKeyRef) {
      const { name = '', key = '' } = vf.configMapKeyRef;
      const source = `env:${e.name} <- configmap:${name}/${key}`;
      const value = configMaps.get(name)?.data?.[key];
      if (value === undefined)
        set(e.name, { source, unresolved: `ConfigMap ${name} key ${key} was not found` });
      else set(e.name, literal(e.name, value, source), value);
    } else if (vf?.fieldRef || vf?.resourceFieldRef) {
      const what = vf.fieldRef?.fieldPath ?? vf.resourceFieldRef?.resource ?? '';
      set(e.name, { source: `env:${e.name}`, unresolved: `set by the kubelet from ${what}` });
    } else {
      const value = expandRefs(e.value ?? '', raw);
      set(e.name, literal(e.name, value, `env:${e.name}`), value);
    }
  }
  return env;
}

/** `$(VAR)` is replaced when VAR is defined earlier; `$$(VAR)` stays literal (Kubernetes expansion). */
function expandRefs(value: string, defined: ReadonlyMap<string, string>): string {
  return value.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (m, name?: string) => {
    if (m === '$$') return '$';
    return name !== undefined && defined.has(name) ? defined.get(name)! : m;
  });
}

function javaSystemProperties(
  env: Readonly<Record<string, ConfigValue>>,
  literal: Literal,
): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  // Later variables are listed later on the java command line in Camunda's start scripts.
  for (const name of JAVA_OPTION_VARS) {
    const v = env[name];
    if (!v?.value) continue;
    for (const m of v.value.matchAll(/(?:^|\s)-D([^=\s]+)=("[^"]*"|'[^']*'|\S*)/g)) {
      const key = m[1]!;
      const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
      out[canonicalProperty(key)] = { key, ...literal(key, value, `env:${name} -D${key}`) };
    }
  }
  return out;
}

function commandLineProperties(container: ContainerLike, literal: Literal): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const arg of [...(container.command ?? []), ...(container.args ?? [])]) {
    const m = /^--([^=\s]+)=(.*)$/s.exec(arg);
    if (!m) continue;
    out[canonicalProperty(m[1]!)] = { key: m[1]!, ...literal(m[1]!, m[2]!, `args:--${m[1]}`) };
  }
  return out;
}

interface MountedFile {
  readonly path: string;
  readonly configMap: string;
  readonly key: string;
  readonly text: string;
}

function mountedFiles(
  container: ContainerLike,
  volumes: readonly VolumeLike[],
  configMaps: ReadonlyMap<string, ConfigMapLike>,
  env: Readonly<Record<string, ConfigValue>>,
  notes: string[],
  opts: ResolveOptions,
): { springFiles: ConfigFile[]; otherFiles: ConfigFile[] } {
  const files: MountedFile[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume || !mount.mountPath) continue;
    const sources = volume.configMap
      ? [volume.configMap]
      : (volume.projected?.sources ?? []).flatMap((s) => (s.configMap ? [s.configMap] : []));
    for (const src of sources) {
      const cm = src.name ? configMaps.get(src.name) : undefined;
      if (!cm) {
        notes.push(`ConfigMap ${src.name ?? '?'} mounted at ${mount.mountPath} was not found`);
        continue;
      }
      // Each key becomes a file named after it, unless items map keys to other paths.
      const entries: Array<[string, string]> = src.items?.length
        ? src.items.flatMap((i) => (i.key ? [[i.key, i.path ?? i.key] as [string, string]] : []))
        : Object.keys(cm.data ?? {}).map((k) => [k, k] as [string, string]);
      for (const [key, path] of entries) {
        const text = cm.data?.[key];
        if (text === undefined) continue;
        if (mount.subPath !== undefined && mount.subPath !== '') {
          if (path === mount.subPath) files.push({ path: mount.mountPath, configMap: src.name!, key, text });
        } else {
          files.push({
            path: `${mount.mountPath.replace(/\/$/, '')}/${path}`,
            configMap: src.name!,
            key,
            text,
          });
        }
      }
    }
  }
  const profiles = activeProfiles(env, files, opts);
  const springFiles: ConfigFile[] = [];
  const otherFiles: ConfigFile[] = [];
  const springRank = (f: MountedFile): number => {
    const m = /(?:^|\/)config\/application(?:-([^/]+))?\.(ya?ml|properties)$/.exec(f.path);
    if (!m) return -1;
    if (!m[1]) return 0;
    const i = profiles.indexOf(m[1]);
    return i < 0 ? -1 : i + 1;
  };
  const ranked = files
    .map((f) => ({ f, rank: springRank(f) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank);
  const imported = new Set<MountedFile>();
  for (const { f, rank } of ranked) {
    const file = read(f);
    springFiles.push(file);
    // Files a base file imports override it, and are overridden by profile files.
    if (rank !== 0) continue;
    for (const target of importsOf(file, env)) {
      const hit = files.find((m) => !imported.has(m) && springRank(m) < 0 && importMatches(target, m.path));
      if (!hit) {
        if (!target.startsWith('optional:'))
          notes.push(`spring.config.import ${target} is not a mounted file`);
        continue;
      }
      imported.add(hit);
      springFiles.push(read(hit));
    }
  }
  for (const f of files) {
    if (springRank(f) >= 0 || imported.has(f) || !/\.(ya?ml|properties)$/.test(f.path)) continue;
    otherFiles.push(read(f));
  }
  return { springFiles, otherFiles };

  function read(f: MountedFile): ConfigFile {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    return readConfigFile(name, f.text, `configmap:${f.configMap}/${f.key}`, {
      ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
      activeProfiles: profiles,
      limits: opts.limits ?? DEFAULT_CONFIG_FILE_LIMITS,
    });
  }
}

/** `spring.config.import` entries of a file, plus SPRING_CONFIG_IMPORT from the environment. */
function importsOf(file: ConfigFile, env: Readonly<Record<string, ConfigValue>>): string[] {
  const canon = canonicalProperty('spring.config.import');
  const values = Object.entries(file.properties)
    .filter(([k]) => k === canon || k.startsWith(`${canon}[`))
    .map(([, v]) => v.value ?? '');
  if (env.SPRING_CONFIG_IMPORT?.value) values.push(env.SPRING_CONFIG_IMPORT.value);
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** `optional:file:/usr/local/camunda/config/x.yaml`, `file:./config/x.yaml`, `x.yaml`. */
function importMatches(target: string, path: string): boolean {
  const location = target.replace(/^optional:/, '').replace(/^file:/, '');
  if (location.startsWith('/')) return location === path;
  const base = location.slice(location.lastIndexOf('/') + 1);
  return path.endsWith(`/config/${base}`) || path.endsWith(`/${location.replace(/^\.\//, '')}`);
}

/** SPRING_PROFILES_ACTIVE, else `spring.profiles.active` in the mounted application.yaml. */
function activeProfiles(
  env: Readonly<Record<string, ConfigValue>>,
  files: readonly MountedFile[],
  opts: ResolveOptions,
): string[] {
  let text = env.SPRING_PROFILES_ACTIVE?.value;
  if (text === undefined) {
    const base = files.find((f) => /(?:^|\/)config\/application\.ya?ml$/.test(f.path));
    if (base) {
      const parsed = readConfigFile('application.yaml', base.text, 'profiles', {
        limits: opts.limits ?? DEFAULT_CONFIG_FILE_LIMITS,
      });
      text = parsed.properties[canonicalProperty('spring.profiles.active')]?.value;
    }
  }
  return (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}
