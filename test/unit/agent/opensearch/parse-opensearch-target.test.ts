import { describe, expect, it } from 'vitest';
import {
  describeOpenSearchHost,
  parseOpenSearchTarget,
} from '../../../../src/agent/opensearch/parse-opensearch-target.js';

describe('describeOpenSearchHost', () => {
  it('managed domain endpoints: service es, region, domain name', () => {
    expect(
      describeOpenSearchHost('search-camunda-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com'),
    ).toEqual({
      service: 'es',
      region: 'eu-west-1',
      domainName: 'camunda',
    });
    expect(
      describeOpenSearchHost('vpc-camunda-prod-7h2kqjx4m5n6p7r8s9t0u1v2w3.us-east-1.es.amazonaws.com'),
    ).toEqual({ service: 'es', region: 'us-east-1', domainName: 'camunda-prod' });
    expect(describeOpenSearchHost('search-camunda-abc.eu-west-1.es.amazonaws.com')).toMatchObject({
      service: 'es',
      region: 'eu-west-1',
      domainName: 'camunda',
    });
  });

  it('dual-stack and China endpoints', () => {
    expect(
      describeOpenSearchHost('search-camunda-abcdefghijklmnopqrstuvwxyz.aos.eu-central-1.on.aws'),
    ).toMatchObject({ service: 'es', region: 'eu-central-1', domainName: 'camunda' });
    expect(
      describeOpenSearchHost('search-c8-abcdefghijklmnopqrstuvwxyz.cn-north-1.es.amazonaws.com.cn'),
    ).toMatchObject({ service: 'es', region: 'cn-north-1' });
  });

  it('Serverless collection endpoints: service aoss, region, collection id', () => {
    expect(describeOpenSearchHost('0a1b2c3d4e5f6g7h8i9j.eu-west-1.aoss.amazonaws.com')).toEqual({
      service: 'aoss',
      region: 'eu-west-1',
      collectionId: '0a1b2c3d4e5f6g7h8i9j',
    });
  });

  it('custom endpoints and loopback say nothing', () => {
    expect(describeOpenSearchHost('aws.opensearch.example.com')).toEqual({});
    expect(describeOpenSearchHost('127.0.0.1')).toEqual({});
  });
});

describe('parseOpenSearchTarget', () => {
  it('a bare host is https on 443, and the host name beats the agent region', () => {
    const r = parseOpenSearchTarget('search-camunda-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com', {
      fallbackRegion: 'us-east-1',
    });
    expect(r).toEqual({
      ok: true,
      target: expect.objectContaining({
        url: 'https://search-camunda-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com',
        port: 443,
        service: 'es',
        serviceSource: 'host',
        hostService: 'es',
        region: 'eu-west-1',
        regionSource: 'host',
        domainName: 'camunda',
      }),
    });
  });

  it('the service flag overrides the host name but the host service is kept for comparison', () => {
    const r = parseOpenSearchTarget('https://abc123.eu-west-1.aoss.amazonaws.com/', {
      serviceOverride: 'es',
    });
    expect(r.ok && r.target).toMatchObject({ service: 'es', serviceSource: 'flag', hostService: 'aoss' });
  });

  it('loopback or custom hosts default to es and the agent region; paths are dropped', () => {
    const r = parseOpenSearchTarget('https://127.0.0.1:9443/some/path', { fallbackRegion: 'eu-west-1' });
    expect(r.ok && r.target).toMatchObject({
      url: 'https://127.0.0.1:9443',
      host: '127.0.0.1',
      port: 9443,
      service: 'es',
      serviceSource: 'default',
      region: 'eu-west-1',
      regionSource: 'context',
    });
    const none = parseOpenSearchTarget('https://aws.opensearch.example.com');
    expect(none.ok && none.target.region).toBeUndefined();
  });

  it('rejects what cannot be an endpoint', () => {
    expect(parseOpenSearchTarget('  ').ok).toBe(false);
    expect(parseOpenSearchTarget('ftp://x.example.com').ok).toBe(false);
    expect(parseOpenSearchTarget('https://admin:pw@x.example.com').ok).toBe(false);
    expect(parseOpenSearchTarget('https://exa mple.com').ok).toBe(false);
  });
});
