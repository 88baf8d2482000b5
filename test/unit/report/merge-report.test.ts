import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build-report.js';
import { finding } from '../../../src/report/finding.js';
import { launcherCheck, launcherOnlyReport, mergeReport } from '../../../src/report/merge-report.js';
import { schemaErrors } from '../../support/report-schema.js';

describe('mergeReport', () => {
  it('puts the launcher check first and recomputes the verdict', () => {
    const agent = buildReport(new Date(), 5, { mechanism: 'irsa' }, [
      { id: 'env', title: 'Env', status: 'pass', durationMs: 1, findings: [finding('ENV-INJECTED', 'ok')] },
    ]);
    expect(agent.verdict).toBe('pass');
    const merged = mergeReport(
      agent,
      launcherCheck([finding('LAUNCH-NOT-MUTATED', 'x', { status: 'fail', variant: 'webhook' })], 3),
      { namespace: 'ns', serviceAccount: 'sa', pod: 'p', node: 'n' },
      10,
    );
    expect(merged.checks.map((c) => c.id)).toEqual(['launcher', 'env']);
    expect(merged.verdict).toBe('fail');
    expect(merged.summary).toMatchObject({ pass: 1, fail: 1 });
    expect(merged.context).toMatchObject({
      namespace: 'ns',
      serviceAccount: 'sa',
      pod: 'p',
      node: 'n',
      mechanism: 'irsa',
    });
  });
});

describe('launcherOnlyReport', () => {
  it("says the agent did not report, so mechanism 'none' reads as not determined", () => {
    const r = launcherOnlyReport(new Date(), 7, launcherCheck([finding('LAUNCH-SA-MISSING', 'x')], 7), {
      namespace: 'ns',
      serviceAccount: 'sa',
    });
    expect(r.context.mechanism).toBe('none');
    const [check] = r.checks;
    expect(check?.findings.map((f) => `${f.code}:${f.status}`)).toEqual([
      'LAUNCH-SA-MISSING:fail',
      'LAUNCH-AGENT-NOT-RUN:info',
    ]);
    expect(check?.findings[1]?.details).toEqual({ agentReported: false, mechanism: 'not determined' });
    expect(check?.status).toBe('fail');
    expect(r.verdict).toBe('fail');
    expect(schemaErrors(r)).toEqual([]);
  });
});
