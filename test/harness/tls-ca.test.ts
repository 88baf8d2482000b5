import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from './tls-ca.js';

function get(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

describe('createTestCa', () => {
  const cas: TestCa[] = [];
  afterAll(() => {
    for (const c of cas) c.cleanup();
  });

  it('issues a leaf for 127.0.0.1 and localhost that Node trusts through the CA only', async () => {
    const ca = await createTestCa();
    const other = await createTestCa({ commonName: 'someone else' });
    cas.push(ca, other);
    expect(readFileSync(ca.caFile, 'utf8')).toBe(ca.caCertPem);
    const leaf = await ca.issue(['127.0.0.1', 'localhost']);
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.checkIssued(new X509Certificate(ca.caCertPem))).toBe(true);

    const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await get(`https://127.0.0.1:${port}/`, ca.caCertPem)).toBe('hello');
      expect(await get(`https://localhost:${port}/`, ca.caCertPem).catch((e: Error) => e.message)).toMatch(
        /hello|ECONNREFUSED/,
      );
      await expect(get(`https://127.0.0.1:${port}/`, other.caCertPem)).rejects.toThrow(/certificate/i);
    } finally {
      server.close();
    }
  });

  it('computes the SHA-1 thumbprint IAM stores (lowercase hex of the DER)', async () => {
    const ca = await createTestCa();
    cas.push(ca);
    const expected = new X509Certificate(ca.caCertPem).fingerprint.replace(/:/g, '').toLowerCase();
    expect(ca.thumbprint).toBe(expected);
    expect(ca.sha1Thumbprint(ca.caCertPem)).toMatch(/^[0-9a-f]{40}$/);
  });
});
