import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build-report.js';
import { finding } from '../../../src/report/finding.js';
import { runsDocument } from '../../../src/report/runs-document.js';
import { schemaErrors, sweepSchemaErrors } from '../../../test/support/report-schema.js';

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

describe('sweep schema', () => {
  it('accepts a sweep built by the code and refuses one without its verdict', () => {
    const report = buildReport(new Date(), 1, { mechanism: 'irsa' }, []);
    const doc = runsDocument(
      [{ namespace: 'a', serviceAccount: 'b', report }],
      [
        finding('LAUNCH-SA-NOT-ANNOTATED', 'none', {
          status: 'fail',
          variant: 'none',
          fix: { namespace: 'a' },
        }),
      ],
    );
    expect(sweepSchemaErrors(doc)).toEqual([]);
    const { verdict: _, ...broken } = doc;
    expect(sweepSchemaErrors(broken).length).toBeGreaterThan(0);
  });
});
