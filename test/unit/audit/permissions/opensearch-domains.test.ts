import { describe, expect, it } from 'vitest';
import { openSearchHost } from '../../../../src/audit/permissions/opensearch-domains.js';

describe('openSearchHost', () => {
  it('takes a URL with port and path, or a bare host, without case', () => {
    expect(openSearchHost('https://Search-X.eu-west-1.es.amazonaws.com:443/_search')).toBe(
      'search-x.eu-west-1.es.amazonaws.com',
    );
    expect(openSearchHost('vpc-x.eu-west-1.es.amazonaws.com')).toBe('vpc-x.eu-west-1.es.amazonaws.com');
  });
  it('says nothing for what is no URL', () => {
    expect(openSearchHost('https://')).toBeUndefined();
  });
});
