import type { Cluster } from '@kubernetes/client-node';
import { readLocalFile } from '../lib/read-local-file.js';
import type { ExecClusterInfo } from './exec-credential.js';
import { KubeconfigError } from './kubeconfig-error.js';
import type { ClusterEntry, Located } from './kubeconfig-types.js';

const MAX_PEM_BYTES = 1024 * 1024;

export interface UsableCluster {
  /** For KubeConfig.loadFromOptions; the CA file is already read into caData. */
  client: Cluster;
  /** What an exec plugin with provideClusterInfo receives. */
  execInfo: ExecClusterInfo;
}

/**
 * The chosen cluster, checked as kubectl checks it before its first request (client-go
 * validateClusterInfo and the TLS setup): a server, one CA source at most, no CA together with
 * insecure-skip-tls-verify, a readable PEM CA, a proxy URL kubectl can use. Only the chosen cluster
 * is checked: kubectl ignores what is wrong with entries it does not use.
 */
export async function usableCluster(entry: Located<ClusterEntry>): Promise<UsableCluster> {
  const c = entry.value;
  const where = `cluster "${entry.name}" (${entry.at} in ${entry.file})`;
  const unusable = (what: string, fix?: string) => new KubeconfigError('unusable', `${where} ${what}`, fix);
  const caFile = c['certificate-authority'];
  const caInline = c['certificate-authority-data'];
  if (c.server === '') {
    throw unusable(
      'has no server',
      `set its server (aws eks update-kubeconfig --name CLUSTER rewrites an EKS entry)`,
    );
  }
  // client-go's DefaultServerURL: a server without a scheme is https when TLS is configured, else http.
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(c.server);
  const tls = caFile !== '' || caInline !== '' || c['insecure-skip-tls-verify'];
  const server = (hasScheme ? c.server : `${tls ? 'https' : 'http'}://${c.server}`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw unusable(`has server "${c.server}", which is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw unusable(`has server "${c.server}": only https:// and http:// servers can be reached`);
  }
  if (caFile !== '' && caInline !== '') {
    throw unusable(
      'sets both certificate-authority and certificate-authority-data (kubectl refuses this)',
      'keep one of them',
    );
  }
  if (c['insecure-skip-tls-verify'] && (caFile !== '' || caInline !== '')) {
    throw unusable(
      'sets insecure-skip-tls-verify together with a certificate authority (kubectl refuses this)',
      'remove insecure-skip-tls-verify',
    );
  }
  let caPem: Buffer | undefined;
  if (caFile !== '') {
    const r = await readLocalFile(caFile, MAX_PEM_BYTES);
    if (!r.ok) throw unusable(`names certificate-authority ${caFile}, which ${r.detail}`);
    caPem = r.bytes;
  } else if (caInline !== '') {
    caPem = Buffer.from(caInline, 'base64');
  }
  if (caPem && !caPem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw unusable(
      `has a ${caFile ? `certificate-authority file ${caFile}` : 'certificate-authority-data'} with no PEM certificate in it`,
      caFile ? undefined : 'certificate-authority-data is the PEM text base64-encoded once',
    );
  }
  const proxy = c['proxy-url'];
  if (proxy !== '') {
    let ok = false;
    try {
      ok = ['http:', 'https:', 'socks5:'].includes(new URL(proxy).protocol);
    } catch {}
    if (!ok) throw unusable(`has proxy-url "${proxy}": kubectl accepts only http, https and socks5 proxies`);
  }
  const caData = caPem?.toString('base64');
  return {
    client: {
      name: entry.name,
      server,
      // client-node refuses http:// unless TLS verification is "off", which means nothing without TLS.
      skipTLSVerify: c['insecure-skip-tls-verify'] || url.protocol === 'http:',
      ...(caData ? { caData } : {}),
      ...(c['tls-server-name'] ? { tlsServerName: c['tls-server-name'] } : {}),
      ...(proxy ? { proxyUrl: proxy } : {}),
    },
    execInfo: {
      server,
      ...(c['tls-server-name'] ? { 'tls-server-name': c['tls-server-name'] } : {}),
      ...(c['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
      ...(caData ? { 'certificate-authority-data': caData } : {}),
      ...(proxy ? { 'proxy-url': proxy } : {}),
      ...(c['disable-compression'] ? { 'disable-compression': true } : {}),
      ...(c.execExtension !== undefined ? { config: c.execExtension } : {}),
    },
  };
}
