import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { User } from '@kubernetes/client-node';
import { readLocalFile } from '../lib/read-local-file.js';
import { registerSecret } from '../lib/redact.js';
import {
  EXEC_API_VERSIONS,
  type ExecApiVersion,
  type ExecClusterInfo,
  type ExecPlugin,
  type InteractiveMode,
} from './exec-credential.js';
import { KubeconfigError } from './kubeconfig-error.js';
import type { Located, UserEntry } from './kubeconfig-types.js';
import type { UserAuth } from './resolved-kubeconfig.js';

const MAX_PEM_BYTES = 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;
const INTERACTIVE_MODES: readonly string[] = ['Never', 'IfAvailable', 'Always'] satisfies InteractiveMode[];

export interface UsableUser {
  /** For KubeConfig.loadFromOptions: files read into data, never `exec`. */
  client: User;
  auth: UserAuth;
  /** Set when auth is 'exec'. */
  exec?: ExecPlugin;
}

/**
 * The chosen user, checked as kubectl checks it before its first request (client-go
 * validateAuthInfo and the transport setup), with its files read. A static token, basic auth or a
 * client certificate makes kubectl ignore an exec plugin, so the plugin is only kept when none is
 * set.
 */
export async function usableUser(entry: Located<UserEntry>, cluster: ExecClusterInfo): Promise<UsableUser> {
  const u = entry.value;
  const where = `user "${entry.name}" (${entry.at} in ${entry.file})`;
  const unusable = (what: string, fix?: string) => new KubeconfigError('unusable', `${where} ${what}`, fix);

  const basic = u.username !== '' || u.password !== '';
  if (u.token !== '' && basic)
    throw unusable('sets both a token and a username/password; kubectl allows only one');
  if (u['as-uid'] || u['as-groups'].length > 0 || Object.keys(u['as-user-extra']).length > 0) {
    throw unusable(
      'impersonates with as-uid, as-groups or as-user-extra, which irsa-doctor cannot send',
      'use a user without them (impersonating a user with `as` alone works)',
    );
  }
  // client-node would run these itself (gcp's cmd-path, oidc's token refresh) with no deadline;
  // kubectl dropped gcp and azure in 1.26, and exec plugins (kubelogin) replace oidc.
  const provider = u['auth-provider'];
  if (provider) {
    throw unusable(
      `uses auth-provider "${provider.name}", which irsa-doctor does not run`,
      'use an exec credential plugin instead (kubelogin for OIDC and Azure, gke-gcloud-auth-plugin for GKE; EKS kubeconfigs already use aws eks get-token)',
    );
  }

  let token = u.token;
  let tokenFromFile = false;
  if (token === '' && u.tokenFile !== '') {
    const r = await readLocalFile(u.tokenFile, MAX_TOKEN_BYTES);
    if (!r.ok) throw unusable(`names tokenFile ${u.tokenFile}, which ${r.detail}`);
    token = r.bytes.toString('utf8').trim();
    tokenFromFile = true;
    if (token === '') throw unusable(`names tokenFile ${u.tokenFile}, which is empty`);
  }
  registerSecret(token);
  registerSecret(u.password);

  const hasCert = u['client-certificate'] !== '' || u['client-certificate-data'] !== '';
  let certData: string | undefined;
  let keyData: string | undefined;
  if (hasCert) {
    if (u['client-certificate'] !== '' && u['client-certificate-data'] !== '') {
      throw unusable(
        'sets both client-certificate and client-certificate-data (kubectl refuses this)',
        'keep one of them',
      );
    }
    if (u['client-key'] !== '' && u['client-key-data'] !== '') {
      throw unusable('sets both client-key and client-key-data (kubectl refuses this)', 'keep one of them');
    }
    if (u['client-key'] === '' && u['client-key-data'] === '') {
      throw unusable('has a client certificate but no client-key or client-key-data');
    }
    const cert = await pem(
      u['client-certificate'],
      u['client-certificate-data'],
      'client-certificate',
      unusable,
    );
    const key = await pem(u['client-key'], u['client-key-data'], 'client-key', unusable);
    registerSecret(key.toString('utf8'));
    try {
      new X509Certificate(cert);
    } catch {
      throw unusable('has a client certificate that is not a PEM certificate');
    }
    try {
      createPrivateKey(key);
    } catch {
      throw unusable('has a client key that is not a PEM private key');
    }
    certData = cert.toString('base64');
    keyData = key.toString('base64');
  }

  const client: User = {
    name: entry.name,
    ...(token ? { token } : {}),
    ...(basic ? { username: u.username, password: u.password } : {}),
    ...(certData && keyData ? { certData, keyData } : {}),
    ...(u.as ? { impersonateUser: u.as } : {}),
  };
  const auth: UserAuth = token
    ? tokenFromFile
      ? 'token-file'
      : 'token'
    : basic
      ? 'basic'
      : hasCert
        ? 'client-certificate'
        : u.exec
          ? 'exec'
          : 'none';
  if (auth !== 'exec' || !u.exec) return { client, auth };

  const x = u.exec;
  if (x.command === '') throw unusable('has an exec section without a command');
  if (x.apiVersion === '')
    throw unusable(
      'has an exec section without an apiVersion',
      'set apiVersion: client.authentication.k8s.io/v1beta1',
    );
  if (!(EXEC_API_VERSIONS as readonly string[]).includes(x.apiVersion)) {
    throw unusable(
      `has exec apiVersion "${x.apiVersion}", which kubectl no longer runs (only ${EXEC_API_VERSIONS.join(' and ')})`,
      'run aws eks update-kubeconfig --name CLUSTER again with a current AWS CLI, or set apiVersion: client.authentication.k8s.io/v1beta1',
    );
  }
  if (x.env.some((e) => e.name === '')) throw unusable('has an exec env entry without a name');
  // kubectl defaults v1beta1 to IfAvailable and insists on an explicit mode for v1.
  const mode =
    x.interactiveMode || (x.apiVersion === 'client.authentication.k8s.io/v1beta1' ? 'IfAvailable' : '');
  if (mode === '')
    throw unusable(
      'has exec apiVersion v1 without interactiveMode',
      'set interactiveMode: Never (or IfAvailable)',
    );
  if (!INTERACTIVE_MODES.includes(mode)) {
    throw unusable(`has exec interactiveMode "${mode}"; it must be Never, IfAvailable or Always`);
  }
  return {
    client,
    auth,
    exec: {
      command: x.command,
      args: x.args,
      env: x.env,
      apiVersion: x.apiVersion as ExecApiVersion,
      interactiveMode: mode as InteractiveMode,
      provideClusterInfo: x.provideClusterInfo,
      installHint: x.installHint,
      cluster,
      user: entry.name,
      file: entry.file,
    },
  };
}

async function pem(
  file: string,
  inline: string,
  field: string,
  unusable: (what: string) => KubeconfigError,
): Promise<Buffer> {
  if (inline !== '') return Buffer.from(inline, 'base64');
  const r = await readLocalFile(file, MAX_PEM_BYTES);
  if (!r.ok) throw unusable(`names ${field} ${file}, which ${r.detail}`);
  return r.bytes;
}
