// What the SDK's default chain would find before it reaches the web identity token
// (REFERENCE section 6; @aws-sdk/credential-provider-node): env keys, then the selected profile of
// the shared config/credentials files (static keys, assume-role, web identity, process, SSO, login).
import { readLocalFile } from '../../lib/read-local-file.js';
import { fact } from '../fact.js';
import {
  type ConfigFileProblem,
  type ConfigFileVariable,
  configFilePath,
  homeDirOf,
  inspectConfigFile,
  MAX_CONFIG_FILE_BYTES,
} from './config-file.js';

export { homeDirOf };

type Env = Readonly<Record<string, string | undefined>>;

export type IniProfiles = Record<string, Record<string, string>>;

/** One source that would answer before (or instead of) the web identity token file. Never values. */
export interface ShadowSource {
  source: 'env' | 'config-file' | 'credentials-file';
  /** Env var or profile key names that make it a credential source. */
  keys: string[];
  file?: string;
  profile?: string;
  /** What the SDK does with it. */
  kind: 'static-keys' | 'assume-role' | 'web-identity' | 'credential-process' | 'sso' | 'login';
}

/** One of the two files: where, whether something is there, and why it was not read if it was not. */
export interface SharedFile {
  path: string;
  exists: boolean;
  /** The variable that named it; absent when it is the default under the home directory. */
  variable?: ConfigFileVariable;
  error?: string;
  /** Set when the file must not be read (by the tool or the SDK): see config-file.ts. */
  problem?: ConfigFileProblem;
}

export interface SharedConfigFacts {
  profile: string;
  profileFromEnv: boolean;
  configFile: SharedFile;
  credentialsFile: SharedFile;
  /** Whether the selected profile exists in either file. */
  profileFound: boolean;
  /** `region` of the selected profile, if any. */
  region?: string;
  shadows: ShadowSource[];
}

/** Parses an AWS shared config or credentials file the way the SDK's ini loader does. */
export function parseIni(text: string, kind: 'config' | 'credentials'): IniProfiles {
  const out: IniProfiles = {};
  let current: Record<string, string> | undefined;
  let nested = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)[#;].*$/, '').trimEnd();
    if (line.trim() === '') continue;
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      current = undefined;
      nested = false;
      const name = profileNameOf(section[1]!.trim(), kind);
      if (name !== undefined) current = out[name] ??= {};
      continue;
    }
    if (!current) continue;
    // Indented lines continue a nested block (e.g. `s3 =` settings); they are not profile keys.
    if (/^\s/.test(line) && nested) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    nested = value === '';
    if (!nested) current[key] = value;
  }
  return out;
}

function profileNameOf(header: string, kind: 'config' | 'credentials'): string | undefined {
  if (kind === 'credentials') return header;
  if (header === 'default') return 'default';
  const m = /^profile\s+(.+)$/.exec(header);
  return m ? m[1]!.trim() : undefined; // sso-session, services: not profiles
}

/** The credential kind a profile resolves to, in the SDK's own precedence (resolveProfileData). */
export function profileCredentialKind(p: Record<string, string> | undefined): ShadowSource | undefined {
  if (!p) return undefined;
  const has = (k: string) => typeof p[k] === 'string';
  if (has('role_arn') && (has('source_profile') || has('credential_source')))
    return pick(p, 'assume-role', ['role_arn', 'source_profile', 'credential_source']);
  if (has('aws_access_key_id') && has('aws_secret_access_key'))
    return pick(p, 'static-keys', ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);
  if (has('web_identity_token_file') && has('role_arn'))
    return pick(p, 'web-identity', ['web_identity_token_file', 'role_arn']);
  if (has('credential_process')) return pick(p, 'credential-process', ['credential_process']);
  const sso = ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'];
  if (sso.some(has)) return pick(p, 'sso', sso);
  if (has('login_session')) return pick(p, 'login', ['login_session']);
  return undefined;
}

function pick(p: Record<string, string>, kind: ShadowSource['kind'], keys: string[]): ShadowSource {
  return { source: 'config-file', kind, keys: keys.filter((k) => k in p) };
}

/** The run's one read of the shared config files, which the env check, the region and the chain consult. */
export const sharedConfig = fact('shared-config', (ctx) => readSharedConfig(ctx.env));

export async function readSharedConfig(env: Env): Promise<SharedConfigFacts> {
  const configPath = configFilePath('AWS_CONFIG_FILE', env);
  const credentialsPath = configFilePath('AWS_SHARED_CREDENTIALS_FILE', env);
  const [config, credentials] = await Promise.all([readIni(configPath), readIni(credentialsPath)]);
  const profile = env.AWS_PROFILE || 'default';
  const fromConfig = parseIni(config.text ?? '', 'config')[profile];
  const fromCredentials = parseIni(credentials.text ?? '', 'credentials')[profile];
  // The SDK merges both files, the credentials file winning key by key.
  const merged = fromConfig || fromCredentials ? { ...fromConfig, ...fromCredentials } : undefined;
  const shadows: ShadowSource[] = [];
  if (!env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].filter((k) => env[k]);
    shadows.push({ source: 'env', kind: 'static-keys', keys });
  }
  const kind = profileCredentialKind(merged);
  if (kind) {
    const inCredentials = kind.keys.some((k) => fromCredentials && k in fromCredentials);
    shadows.push({
      ...kind,
      source: inCredentials ? 'credentials-file' : 'config-file',
      file: inCredentials ? credentialsPath : configPath,
      profile,
    });
  }
  return {
    profile,
    profileFromEnv: Boolean(env.AWS_PROFILE),
    configFile: sharedFile(configPath, 'AWS_CONFIG_FILE', env, config),
    credentialsFile: sharedFile(credentialsPath, 'AWS_SHARED_CREDENTIALS_FILE', env, credentials),
    profileFound: Boolean(merged),
    ...(merged?.region ? { region: merged.region } : {}),
    shadows,
  };
}

interface IniRead {
  exists: boolean;
  text?: string;
  error?: string;
  problem?: ConfigFileProblem;
}

function sharedFile(path: string, variable: ConfigFileVariable, env: Env, read: IniRead): SharedFile {
  return {
    path,
    exists: read.exists,
    ...(env[variable] ? { variable } : {}),
    ...(read.error ? { error: read.error } : {}),
    ...(read.problem ? { problem: read.problem } : {}),
  };
}

// Only a regular file of sane size is opened (config-file.ts says why); anything else is a problem
// the env check reports.
async function readIni(path: string): Promise<IniRead> {
  const found = await inspectConfigFile(path);
  if (found.state === 'absent') return { exists: false };
  if (found.state === 'unusable') return { exists: true, error: found.detail, problem: found.problem };
  // /dev/null (stat() says so) is an empty file with nothing to read.
  if (found.size === 0) return { exists: true, text: '' };
  // Read through the bounded reader as well: the file may have been swapped since stat().
  const read = await readLocalFile(path, MAX_CONFIG_FILE_BYTES);
  if (read.ok) return { exists: true, text: read.bytes.toString('utf8') };
  if (read.problem === 'missing') return { exists: false };
  return { exists: true, error: read.errno ?? read.detail, problem: 'unreadable' };
}
