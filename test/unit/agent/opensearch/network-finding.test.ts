import { describe, expect, it } from 'vitest';
import { netFailureOf } from '../../../../src/agent/opensearch/network-finding.js';

// The OpenSearch client's ConnectionError keeps only Node's message; these are Node's real wordings.
describe('netFailureOf', () => {
  it('recovers the errno from the message', () => {
    expect(netFailureOf('connect ECONNREFUSED 127.0.0.1:9200', false)).toMatchObject({
      code: 'NET-REFUSED',
      errno: 'ECONNREFUSED',
    });
    expect(
      netFailureOf('getaddrinfo ENOTFOUND vpc-camunda-x.eu-west-1.es.amazonaws.com', false),
    ).toMatchObject({
      code: 'NET-DNS',
      errno: 'ENOTFOUND',
    });
    expect(netFailureOf('getaddrinfo EAI_AGAIN search-x.eu-west-1.es.amazonaws.com', false)).toMatchObject({
      code: 'NET-DNS',
      errno: 'EAI_AGAIN',
    });
  });

  it('maps OpenSSL verify messages, which carry no code, to NET-TLS', () => {
    for (const m of [
      'self-signed certificate in certificate chain',
      'unable to verify the first certificate',
      'unable to get local issuer certificate',
      "Hostname/IP does not match certificate's altnames: Host: x. is not in the cert's altnames: DNS:y",
      'certificate has expired',
    ])
      expect(netFailureOf(m, false).code, m).toBe('NET-TLS');
  });

  it('a request timeout is a timeout whatever the message says', () => {
    expect(netFailureOf('Request timed out', true).errno).toBe('timeout');
  });
});
