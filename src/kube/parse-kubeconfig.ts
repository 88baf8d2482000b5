import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import {
  boolYaml11Tag,
  FAILSAFE_SCHEMA,
  floatYaml11Tag,
  intYaml11Tag,
  loadAll,
  mergeTag,
  nullYaml11Tag,
  YAMLException,
} from 'js-yaml';
import { KubeconfigError } from './kubeconfig-error.js';
import type {
  ClusterEntry,
  ContextEntry,
  ExecConfig,
  KubeconfigFile,
  Located,
  UserEntry,
} from './kubeconfig-types.js';

/**
 * kubectl reads YAML through go-yaml v2, i.e. YAML 1.1 scalars: `insecure-skip-tls-verify: yes` is
 * true there, so it is here. Timestamps stay strings (go-yaml v2 keeps them as strings for untyped
 * values), and merge keys work as in kubectl.
 */
const SCHEMA = FAILSAFE_SCHEMA.withTags(nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag);

/** The extension client-go hands to exec plugins as spec.cluster.config. */
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

type Obj = Record<string, unknown>;

/**
 * Decodes one kubeconfig file as client-go does, but says precisely what is wrong and where:
 * unknown fields are ignored (kubectl ignores them), a known field of the wrong type is an error
 * naming the file and the field (kubectl fails on it too, with a Go type name), and a name used
 * twice in one file is an error (kubectl refuses it; across files the first file wins instead).
 * Relative paths resolve against the file's directory, as kubectl resolves them.
 */
export function parseKubeconfig(text: string, file: string): KubeconfigFile {
  const out: KubeconfigFile = {
    file,
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: '',
  };
  const doc = loadYaml(text, file);
  if (doc === null || doc === undefined) return out;
  if (!isObj(doc))
    throw invalid(
      file,
      `the file must be a mapping (apiVersion, clusters, users, ...), found ${kindOf(doc)}`,
    );
  const top = new Fields(doc, file, '');
  const apiVersion = top.str('apiVersion');
  if (apiVersion !== '' && apiVersion !== 'v1')
    throw invalid(file, `apiVersion must be v1 (found "${apiVersion}")`);
  const kind = top.str('kind');
  if (kind !== '' && kind !== 'Config') throw invalid(file, `kind must be Config (found "${kind}")`);
  const base = dirname(resolve(file));
  collect(out.clusters, top.list('clusters'), 'clusters', 'cluster', file, (f) => clusterEntry(f, base));
  collect(out.users, top.list('users'), 'users', 'user', file, (f) => userEntry(f, base));
  collect(out.contexts, top.list('contexts'), 'contexts', 'context', file, contextEntry);
  out.currentContext = top.str('current-context');
  return out;
}

function loadYaml(text: string, file: string): unknown {
  try {
    // go-yaml reads the first document of a multi-document file; so does kubectl.
    return loadAll(text, { schema: SCHEMA, maxAliases: 1000 })[0] ?? null;
  } catch (e) {
    // Only the reason and the position: the exception's snippet would quote the file, token lines included.
    if (e instanceof YAMLException) {
      const at = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
      throw invalid(file, `not valid YAML: ${e.reason}${at}`);
    }
    throw invalid(file, 'not valid YAML');
  }
}

function collect<T>(
  into: Map<string, Located<T>>,
  items: unknown[],
  listKey: string,
  valueKey: string,
  file: string,
  read: (f: Fields) => T,
): void {
  const firstAt = new Map<string, string>();
  items.forEach((item, i) => {
    const at = `${listKey}[${i}]`;
    if (!isObj(item))
      throw invalid(file, `${at} must be a mapping with name and ${valueKey} (found ${kindOf(item)})`);
    const entry = new Fields(item, file, at);
    const name = entry.str('name');
    if (name === '') throw invalid(file, `${at}.name is missing`);
    const earlier = firstAt.get(name);
    if (earlier !== undefined) {
      throw invalid(
        file,
        `${at}: the name "${name}" is already used by ${earlier} in this file (kubectl refuses this too)`,
      );
    }
    firstAt.set(name, at);
    const value = read(entry.sub(valueKey) ?? new Fields({}, file, `${at}.${valueKey}`));
    into.set(name, { name, value, file, at });
  });
}

function clusterEntry(f: Fields, base: string): ClusterEntry {
  let execExtension: unknown;
  f.list('extensions').forEach((x, i) => {
    const at = `${f.at}.extensions[${i}]`;
    if (!isObj(x))
      throw invalid(f.file, `${at} must be a mapping with name and extension (found ${kindOf(x)})`);
    if (new Fields(x, f.file, at).str('name') === EXEC_EXTENSION) execExtension ??= x.extension;
  });
  return {
    server: f.str('server'),
    'tls-server-name': f.str('tls-server-name'),
    'insecure-skip-tls-verify': f.bool('insecure-skip-tls-verify'),
    'certificate-authority': localPath(f.str('certificate-authority'), base),
    'certificate-authority-data': f.base64('certificate-authority-data'),
    'proxy-url': f.str('proxy-url'),
    'disable-compression': f.bool('disable-compression'),
    ...(execExtension !== undefined ? { execExtension } : {}),
  };
}

function userEntry(f: Fields, base: string): UserEntry {
  const provider = f.sub('auth-provider');
  const exec = f.sub('exec');
  return {
    'client-certificate': localPath(f.str('client-certificate'), base),
    'client-certificate-data': f.base64('client-certificate-data'),
    'client-key': localPath(f.str('client-key'), base),
    'client-key-data': f.base64('client-key-data'),
    token: f.str('token'),
    tokenFile: localPath(f.str('tokenFile'), base),
    as: f.str('as'),
    'as-uid': f.str('as-uid'),
    'as-groups': f.strList('as-groups'),
    'as-user-extra': f.strListMap('as-user-extra'),
    username: f.str('username'),
    password: f.str('password'),
    ...(provider
      ? { 'auth-provider': { name: provider.str('name'), config: provider.strMap('config') } }
      : {}),
    ...(exec ? { exec: execConfig(exec, base) } : {}),
  };
}

function execConfig(f: Fields, base: string): ExecConfig {
  const command = f.str('command');
  return {
    // kubectl resolves the command against the file's directory only when it is a path, not a PATH lookup.
    command: command.includes(sep) ? localPath(command, base) : command,
    args: f.strList('args'),
    env: f.list('env').map((e, i) => {
      const at = `${f.at}.env[${i}]`;
      if (!isObj(e))
        throw invalid(f.file, `${at} must be a mapping with name and value (found ${kindOf(e)})`);
      const v = new Fields(e, f.file, at);
      return { name: v.str('name'), value: v.str('value') };
    }),
    apiVersion: f.str('apiVersion'),
    interactiveMode: f.str('interactiveMode'),
    provideClusterInfo: f.bool('provideClusterInfo'),
    installHint: f.str('installHint'),
  };
}

function contextEntry(f: Fields): ContextEntry {
  return { cluster: f.str('cluster'), user: f.str('user'), namespace: f.str('namespace') };
}

function localPath(p: string, base: string): string {
  return p === '' || isAbsolute(p) ? p : join(base, p);
}

/** Typed reads of one mapping; null counts as absent, as in Go's JSON decoding. */
class Fields {
  constructor(
    private readonly obj: Obj,
    readonly file: string,
    readonly at: string,
  ) {}

  str(key: string): string {
    const v = this.obj[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw this.wrong(key, 'a string', v);
    return v;
  }
  bool(key: string): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw this.wrong(key, 'true or false', v);
    return v;
  }
  list(key: string): unknown[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.wrong(key, 'a list', v);
    return v;
  }
  sub(key: string): Fields | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) throw this.wrong(key, 'a mapping', v);
    return new Fields(v, this.file, this.path(key));
  }
  strList(key: string): string[] {
    return this.list(key).map((v, i) => {
      if (typeof v !== 'string') throw this.wrong(`${key}[${i}]`, 'a string', v);
      return v;
    });
  }
  strMap(key: string): Record<string, string> {
    const sub = this.sub(key);
    const out: Record<string, string> = {};
    if (sub) for (const k of Object.keys(sub.obj)) out[k] = sub.str(k);
    return out;
  }
  strListMap(key: string): Record<string, string[]> {
    const sub = this.sub(key);
    const out: Record<string, string[]> = {};
    if (sub) for (const k of Object.keys(sub.obj)) out[k] = sub.strList(k);
    return out;
  }
  /** Go decodes these []byte fields as standard base64 and fails the whole file otherwise. */
  base64(key: string): string {
    const v = this.str(key).replace(/[\r\n]/g, '');
    if (v !== '' && (v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))) {
      throw invalid(this.file, `${this.path(key)} is not base64 (it holds the PEM text base64-encoded)`);
    }
    return v;
  }

  private path(key: string): string {
    return this.at === '' ? key : `${this.at}.${key}`;
  }
  private wrong(key: string, want: string, found: unknown): KubeconfigError {
    return invalid(this.file, `${this.path(key)} must be ${want} (found ${kindOf(found)})`);
  }
}

function invalid(file: string, what: string): KubeconfigError {
  return new KubeconfigError('file-invalid', `${file}: ${what}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'object':
      return 'a mapping';
    case 'number':
      return `a number`;
    case 'boolean':
      return `${v}`;
    case 'string':
      return 'a string';
    default:
      return typeof v;
  }
}
