import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build-report.js';
import { finding } from '../../../src/report/finding.js';
import { runsDocument } from '../../../src/report/runs-document.js';

describe('runsDocument', () => {
  it('adds up the reports and its own findings into a summary and the worst verdict', () => {
    const pass = buildReport(new Date(0), 1, { mechanism: 'irsa' }, [
      { id: 'sts', title: 'STS', status: 'pass', durationMs: 1, findings: [finding('STS-OK', 'ok')] },
    ]);
    const errored = buildReport(new Date(0), 1, { mechanism: 'irsa' }, [
      { id: 'sts', title: 'STS', status: 'error', durationMs: 1, findings: [], error: 'x' },
    ]);
    const doc = runsDocument([
      { namespace: 'a', serviceAccount: 'x', report: pass },
      { namespace: 'a', serviceAccount: 'y', report: errored },
    ]);
    expect(doc.summary).toEqual({ pass: 1, info: 0, warn: 0, fail: 0, skip: 0, error: 1 });
    expect(doc.verdict).toBe('fail');
    expect(doc).not.toHaveProperty('findings');
  });

  it('fails a sweep that found nothing to check', () => {
    const doc = runsDocument(
      [],
      [
        finding('LAUNCH-SA-NOT-ANNOTATED', 'none', {
          status: 'fail',
          variant: 'none',
          fix: { namespace: 'a' },
        }),
      ],
    );
    expect(doc).toMatchObject({ runs: [], verdict: 'fail', summary: { fail: 1 } });
  });
});
