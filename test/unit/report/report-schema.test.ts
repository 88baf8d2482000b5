import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build-report.js';
import { finding } from '../../../src/report/finding.js';
import { schemaErrors } from '../../../test/support/report-schema.js';

describe('report schema', () => {
  const report = buildReport(new Date(), 12, { mechanism: 'irsa', region: 'eu-west-1' }, [
    {
      id: 'sts',
      title: 'STS',
      status: 'fail',
      durationMs: 3,
      findings: [finding('STS-TRUST-POLICY', 'denied', { fix: { roleName: 'app' } })],
    },
    {
      id: 'imds',
      title: 'IMDS',
      status: 'pass',
      durationMs: 1,
      findings: [finding('IMDS-BLOCKED', 'blocked')],
    },
    { id: 'chain', title: 'Chain', status: 'error', durationMs: 1, findings: [], error: 'boom' },
  ]);

  it('accepts a report built by the code', () => {
    expect(schemaErrors(report)).toEqual([]);
  });

  it('rejects a failing finding without remediation and an errored check without its reason', () => {
    const broken = structuredClone(report);
    delete broken.checks[0]!.findings[0]!.remediation;
    delete broken.checks[2]!.error;
    expect(schemaErrors(broken).length).toBeGreaterThanOrEqual(2);
  });
});
