import { describe, expect, it } from 'vitest';
import {
  directRoute,
  isNodeLocal,
  noProxyMatch,
  parseProxyUrl,
  proxyRoute,
  proxyVariable,
  shownProxy,
  unusedNoProxyEntries,
} from '../../../../src/lib/proxy/proxy-route.js';

const P = 'http://proxy.corp:3128';

describe('proxyVariable: the AWS CLI precedence (urllib)', () => {
  it('reads https_proxy for https and http_proxy for http, never the other one nor ALL_PROXY', () => {
    expect(proxyVariable({ HTTPS_PROXY: P }, 'https')).toEqual({ variable: 'HTTPS_PROXY', value: P });
    expect(proxyVariable({ HTTP_PROXY: P }, 'https')).toBeUndefined();
    expect(proxyVariable({ ALL_PROXY: P, all_proxy: P }, 'http')).toBeUndefined();
    expect(proxyVariable({ http_proxy: P }, 'http')).toEqual({ variable: 'http_proxy', value: P });
  });

  it('lower case wins over upper case, and lower case set to "" turns the proxy off', () => {
    expect(proxyVariable({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }, 'https')?.variable).toBe(
      'https_proxy',
    );
    expect(proxyVariable({ https_proxy: '', HTTPS_PROXY: P }, 'https')).toBeUndefined();
    expect(proxyVariable({ HTTPS_PROXY: '  ' }, 'https')).toBeUndefined();
  });
});

describe('parseProxyUrl', () => {
  it('takes a value without a scheme as an http:// proxy', () => {
    const r = parseProxyUrl('proxy.corp:3128');
    expect(r.ok && r.url.href).toBe('http://proxy.corp:3128/');
  });

  it('refuses socks and non-URLs, naming the kind and never the value', () => {
    const socks = parseProxyUrl('socks5://u:secret-pw@proxy:1080');
    expect(socks.ok).toBe(false);
    expect(!socks.ok && socks.problem).toMatch(/socks5:/);
    expect(JSON.stringify(socks)).not.toContain('secret-pw');
    const junk = parseProxyUrl('http://[not-an-ip');
    expect(!junk.ok && junk.problem).toMatch(/not a URL/);
  });
});

describe('noProxyMatch: curl and the AWS CLI', () => {
  it('`*` alone matches every host', () => {
    expect(noProxyMatch('*', 'sts.eu-west-1.amazonaws.com', 443)).toBe('*');
  });

  it('a domain matches itself and every name under it, with or without a leading dot', () => {
    expect(noProxyMatch('amazonaws.com', 'sts.eu-west-1.amazonaws.com', 443)).toBe('amazonaws.com');
    expect(noProxyMatch('.amazonaws.com', 'sts.eu-west-1.amazonaws.com', 443)).toBe('.amazonaws.com');
    expect(noProxyMatch('.amazonaws.com', 'amazonaws.com', 443)).toBe('.amazonaws.com');
    expect(noProxyMatch('AmazonAWS.com', 'STS.amazonaws.com.', 443)).toBe('AmazonAWS.com');
  });

  it('does not match a name that only ends with the same letters', () => {
    expect(noProxyMatch('amazonaws.com', 'notamazonaws.com', 443)).toBeUndefined();
  });

  it('an entry with a port matches that port only', () => {
    expect(noProxyMatch('example.com:8443', 'api.example.com', 8443)).toBe('example.com:8443');
    expect(noProxyMatch('example.com:8443', 'api.example.com', 443)).toBeUndefined();
  });

  it('matches IP literals exactly, IPv6 with or without brackets, and CIDR ranges for IP hosts', () => {
    expect(noProxyMatch('10.0.0.5', '10.0.0.5', 443)).toBe('10.0.0.5');
    expect(noProxyMatch('10.0.0.5', '10.0.0.50', 443)).toBeUndefined();
    expect(noProxyMatch('[::1]', '::1', 80)).toBe('[::1]');
    expect(noProxyMatch('::1', '[::1]', 80)).toBe('::1');
    expect(noProxyMatch('10.0.0.0/8', '10.20.30.40', 443)).toBe('10.0.0.0/8');
    expect(noProxyMatch('10.0.0.0/8', '11.0.0.1', 443)).toBeUndefined();
    expect(noProxyMatch('10.0.0.0/8', 'ten.example', 443)).toBeUndefined();
  });

  it('splits on commas and white space, ignores empty entries', () => {
    expect(noProxyMatch(' localhost, ,127.0.0.1  .svc', 'db.camunda.svc', 5432)).toBe('.svc');
  });

  it('reads `*.example.com` as nothing, as curl and the AWS CLI do, and says so', () => {
    expect(noProxyMatch('*.example.com', 'api.example.com', 443)).toBeUndefined();
    expect(unusedNoProxyEntries('localhost,*.example.com')).toEqual(['*.example.com']);
    expect(unusedNoProxyEntries('*')).toEqual([]);
  });
});

describe('isNodeLocal', () => {
  it('holds for link-local and fd00:ec2:: addresses, in every spelling', () => {
    for (const h of [
      '169.254.169.254',
      '169.254.170.23',
      'fd00:ec2::254',
      '[fd00:ec2::23]',
      'fe80::1',
      '::ffff:a9fe:a9fe',
    ])
      expect(isNodeLocal(h), h).toBe(true);
    for (const h of ['127.0.0.1', '10.0.0.1', 'fd00:ec3::1', 'sts.amazonaws.com', '::1'])
      expect(isNodeLocal(h), h).toBe(false);
  });
});

describe('proxyRoute', () => {
  const env = { HTTPS_PROXY: 'http://user:pw@proxy.corp:3128', NO_PROXY: 'localhost,.svc' };

  it('sends https URLs through HTTPS_PROXY', () => {
    const r = proxyRoute(env, 'https://sts.eu-west-1.amazonaws.com/');
    expect(r.via).toBe('proxy');
    expect(r.via === 'proxy' && r.variable).toBe('HTTPS_PROXY');
    expect(r.target).toBe('sts.eu-west-1.amazonaws.com:443');
  });

  it('sends http URLs direct when only HTTPS_PROXY is set', () => {
    expect(proxyRoute(env, 'http://127.0.0.1:8080/')).toMatchObject({ via: 'direct', reason: 'unset' });
  });

  it('names the NO_PROXY entry and the proxy it bypassed', () => {
    const r = proxyRoute(env, 'https://search.camunda.svc:9200');
    expect(r).toMatchObject({
      via: 'direct',
      reason: 'no-proxy',
      noProxy: { variable: 'NO_PROXY', entry: '.svc' },
    });
    expect(r.via === 'direct' && r.bypassed?.variable).toBe('HTTPS_PROXY');
  });

  it('never proxies IMDS or the Pod Identity agent, even with NO_PROXY empty', () => {
    const all = { HTTPS_PROXY: P, HTTP_PROXY: P };
    expect(proxyRoute(all, 'http://169.254.169.254/latest/api/token')).toMatchObject({
      reason: 'node-local',
    });
    expect(proxyRoute(all, 'http://169.254.170.23/v1/credentials')).toMatchObject({ reason: 'node-local' });
    expect(proxyRoute(all, 'http://[fd00:ec2::23]/v1/credentials')).toMatchObject({ reason: 'node-local' });
  });

  it('proxies loopback unless NO_PROXY lists it (as curl and the AWS CLI)', () => {
    expect(proxyRoute({ HTTP_PROXY: P }, 'http://127.0.0.1:9000/').via).toBe('proxy');
    expect(proxyRoute({ HTTP_PROXY: P, no_proxy: '127.0.0.1' }, 'http://127.0.0.1:9000/').via).toBe('direct');
  });

  it('an unusable proxy setting is a route of its own, unless NO_PROXY exempts the host', () => {
    expect(proxyRoute({ HTTPS_PROXY: 'socks5://p:1080' }, 'https://x.example/')).toMatchObject({
      via: 'invalid',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyRoute({ HTTPS_PROXY: 'socks5://p:1080', NO_PROXY: '*' }, 'https://x.example/').via).toBe(
      'direct',
    );
  });

  it('directRoute names the proxy that IMDS and PostgreSQL do not use', () => {
    expect(directRoute({ HTTP_PROXY: P }, 'metadata', '169.254.169.254:80')).toMatchObject({
      via: 'direct',
      reason: 'metadata',
      bypassed: { variable: 'HTTP_PROXY' },
    });
  });

  it('shownProxy keeps the user and drops the password', () => {
    expect(shownProxy(new URL('http://alice:s3cret@proxy.corp:3128'))).toBe('http://alice@proxy.corp:3128');
  });
});
