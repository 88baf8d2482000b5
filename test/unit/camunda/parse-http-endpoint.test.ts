import { describe, expect, it } from 'vitest';
import { parseHttpEndpoint } from '../../../src/camunda/parse-http-endpoint.js';

describe('parseHttpEndpoint', () => {
  it('takes the port from the scheme when absent', () => {
    expect(parseHttpEndpoint('https://vpc-x.eu-west-1.es.amazonaws.com')).toMatchObject({
      ok: true,
      endpoint: {
        protocol: 'https',
        host: 'vpc-x.eu-west-1.es.amazonaws.com',
        port: 443,
        portDefaulted: true,
      },
    });
    expect(parseHttpEndpoint('http://os:9200/')).toMatchObject({
      ok: true,
      endpoint: { port: 9200, portDefaulted: false },
    });
  });

  it('describes the first of several nodes and hides user:password', () => {
    const r = parseHttpEndpoint('https://admin:Pw1234@a:443,https://b:443');
    expect(r).toMatchObject({ ok: true, endpoint: { host: 'a' } });
    expect(r.ok && r.endpoint.text).not.toContain('Pw1234');
  });

  it.each(['os.example:443', 'ftp://x', 'https://x:0', ''])('rejects %j', (s) => {
    expect(parseHttpEndpoint(s).ok).toBe(false);
  });
});
