import { describe, expect, it } from 'vitest';
import { denialFinding } from '../../../../src/agent/opensearch/denial-finding.js';
import { parseOpenSearchTarget } from '../../../../src/agent/opensearch/parse-opensearch-target.js';

const forbidden = { kind: 'aoss-forbidden' as const, text: 'Forbidden' };
const ROLE = 'arn:aws:iam::111122223333:role/camunda-opensearch';

function context(url: string) {
  const parsed = parseOpenSearchTarget(url, { fallbackRegion: 'eu-west-1' });
  if (!parsed.ok) throw new Error(parsed.reason);
  return {
    target: { ...parsed.target, region: parsed.target.region ?? 'eu-west-1' },
    fix: { roleArn: ROLE, region: 'eu-west-1', url },
    nodeRole: false,
    details: {},
  };
}

describe('a bare "Forbidden" 403 to an es-signed request', () => {
  it('from an endpoint the host name does not place: read as Serverless, so sign for aoss', () => {
    expect(denialFinding(forbidden, 403, context('https://127.0.0.1:9200')).code).toBe('OS-SIGNATURE');
  });

  it('from a managed domain host name: something else answered, not a signing problem', () => {
    const f = denialFinding(
      forbidden,
      403,
      context('https://search-camunda-abc123.eu-west-1.es.amazonaws.com'),
    );
    expect(f.code).toBe('OS-HTTP-ERROR');
    expect(f.status).toBe('fail');
  });

  it('signed for aoss: the Serverless refusal', () => {
    const f = denialFinding(forbidden, 403, context('https://abc123.eu-west-1.aoss.amazonaws.com'));
    expect(f.code).toBe('OS-AOSS-FORBIDDEN');
  });
});
