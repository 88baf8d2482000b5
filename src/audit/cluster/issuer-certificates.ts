// The SHA-1 thumbprints of the certificates the issuer presents, to compare with the provider's list.
import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';

/**
 * Thumbprints (lowercase hex) of every certificate in the issuer's chain, up to its root; empty when it
 * cannot be reached or the chain does not end in a root this process knows (servers rarely send the
 * root, and the provider's thumbprint is usually the root's, so a partial chain proves nothing).
 */
export function issuerThumbprints(issuer: string, timeoutMs: number): Promise<string[]> {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return Promise.resolve([]);
  }
  if (url.protocol !== 'https:') return Promise.resolve([]);
  return new Promise((resolve) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
      // Only the certificates are read; whether this workstation trusts them does not matter here.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (prints: string[]) => {
      socket.destroy();
      resolve(prints);
    };
    socket.once('secureConnect', () => done(chainThumbprints(socket.getPeerCertificate(true))));
    socket.once('error', () => done([]));
    socket.once('timeout', () => done([]));
  });
}

function chainThumbprints(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): string[] {
  const out: string[] = [];
  let c: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf;
  while (c?.raw && out.length < 10) {
    const cert = new X509Certificate(c.raw);
    out.push(cert.fingerprint.replace(/:/g, '').toLowerCase());
    if (c.issuerCertificate === c || cert.issuer === cert.subject) return out;
    c = c.issuerCertificate;
  }
  return [];
}
