import { describe, expect, it } from 'vitest';
import { okFinding } from '../../../../src/agent/opensearch/outcome-findings.js';
import type { OpenSearchTarget } from '../../../../src/agent/opensearch/parse-opensearch-target.js';

const target: OpenSearchTarget = {
  url: 'https://search-camunda-abc.eu-west-1.es.amazonaws.com',
  host: 'search-camunda-abc.eu-west-1.es.amazonaws.com',
  port: 443,
  service: 'es',
  serviceSource: 'host',
};
const distribution = (body: unknown) => okFinding(target, body, undefined, {}).details?.distribution;

describe('okFinding (GET / answered)', () => {
  it('names the distribution OpenSearch reports', () => {
    expect(distribution({ version: { distribution: 'opensearch', number: '2.17.0' } })).toBe('opensearch');
  });
  it('takes a version without a distribution for Elasticsearch', () => {
    expect(distribution({ version: { number: '7.10.2' }, tagline: 'You Know, for Search' })).toBe(
      'elasticsearch',
    );
  });
  it('does not guess from a body that is not the cluster info object', () => {
    expect(distribution('OK')).toBe('unknown');
    expect(distribution(Buffer.from('{}'))).toBe('unknown');
    expect(distribution({})).toBe('unknown');
    expect(distribution(null)).toBe('unknown');
    expect(okFinding(target, 'OK', undefined, {}).message).toContain('signed GET /: unknown');
  });
});
