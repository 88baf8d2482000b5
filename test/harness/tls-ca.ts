// A throwaway root CA for the loopback servers. The agent trusts it through NODE_EXTRA_CA_CERTS,
// exactly as a pod trusts a private CA, and STS compares its SHA-1 thumbprint like IAM does.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';

// @peculiar/x509 resolves its services through tsyringe, which refuses to load without the
// reflect-metadata API. It only stores and reads constructor metadata, so a WeakMap stand-in is
// enough and saves a dependency; x509 is imported after it is in place.
function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const own = (target: object, create: boolean) => {
    const m = store.get(target);
    if (m || !create) return m;
    const fresh = new Map<unknown, unknown>();
    store.set(target, fresh);
    return fresh;
  };
  r.defineMetadata = (key: unknown, value: unknown, target: object) => own(target, true)?.set(key, value);
  r.getOwnMetadata = (key: unknown, target: object) => own(target, false)?.get(key);
  r.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const v = own(t, false)?.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
installReflectMetadata();
const x509: typeof X509 = await import('@peculiar/x509');
x509.cryptoProvider.set(webcrypto as never);

// ECDSA P-256 keeps key generation in the milliseconds, so every test file can mint its own CA.
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}
export interface IssueOptions {
  notBefore?: Date;
  notAfter?: Date;
  commonName?: string;
}
export interface TestCa {
  caCertPem: string;
  caKeyPem: string;
  /** PEM file of the CA cert, for NODE_EXTRA_CA_CERTS */
  caFile: string;
  /** lowercase hex SHA-1 of the CA cert's DER, the value an IAM OIDC provider stores */
  thumbprint: string;
  issue(hostnames: string[], opts?: IssueOptions): Promise<IssuedCert>;
  sha1Thumbprint(certPem: string): string;
  /** removes the temp dir holding caFile */
  cleanup(): void;
}

export function sha1Thumbprint(certPem: string): string {
  const der = x509.PemConverter.decodeFirst(certPem);
  return createHash('sha1').update(Buffer.from(der)).digest('hex');
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

const serial = () => `01${randomBytes(15).toString('hex')}`;

export async function createTestCa(opts: { commonName?: string } = {}): Promise<TestCa> {
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${opts.commonName ?? 'irsa-doctor test root CA'}, O=irsa-doctor harness`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 2 * 86400_000),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caCertPem = caCert.toString('pem');
  const caKeyPem = await exportKeyPem(caKeys.privateKey);
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, caCertPem);

  async function issue(hostnames: string[], o: IssueOptions = {}): Promise<IssuedCert> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const san = hostnames.map((h) =>
      isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
    );
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${o.commonName ?? hostnames[0] ?? 'localhost'}`,
      issuer: caCert.subject,
      notBefore: o.notBefore ?? new Date(Date.now() - 3600_000),
      notAfter: o.notAfter ?? new Date(Date.now() + 86400_000),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(san),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
  }

  return {
    caCertPem,
    caKeyPem,
    caFile,
    thumbprint: sha1Thumbprint(caCertPem),
    issue,
    sha1Thumbprint,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
