import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build-report.js';
import { finding } from '../../../src/report/finding.js';
import { ignoredStatus, ignoreFindings } from '../../../src/report/ignore-findings.js';
import { ignoreInRuns, runsDocument } from '../../../src/report/runs-document.js';
import { exitCodeOf } from '../../../src/report/summary.js';

const imds = finding('IMDS-REACHABLE', 'IMDS answers', { fix: { instance: 'i-1' } });
const report = () =>
  buildReport(new Date(0), 5, { mechanism: 'irsa' }, [
    { id: 'imds', title: 'IMDS', status: 'warn', durationMs: 1, findings: [imds] },
    { id: 'sts', title: 'STS', status: 'pass', durationMs: 1, findings: [finding('STS-OK', 'ok')] },
  ]);

describe('ignoreFindings', () => {
  it('downgrades an acknowledged warning to info, keeps it visible with its old status, and passes the run', () => {
    const r = ignoreFindings(report(), new Set(['IMDS-REACHABLE']));
    const f = r.checks[0]!.findings[0]!;
    expect(f.status).toBe('info');
    expect(ignoredStatus(f)).toBe('warn');
    expect(f.remediation).toBe(imds.remediation);
    expect(r.checks[0]!.status).toBe('info');
    expect(r.summary).toMatchObject({ warn: 0, info: 1, pass: 1 });
    expect(r.verdict).toBe('pass');
  });

  it('leaves other codes, passes and errored checks alone', () => {
    const base = report();
    base.checks.push({
      id: 'chain',
      title: 'Chain',
      status: 'error',
      durationMs: 1,
      findings: [],
      error: 'x',
    });
    const r = ignoreFindings(base, new Set(['STS-OK', 'CHAIN-FAILED']));
    expect(r.checks.map((c) => c.status)).toEqual(['warn', 'pass', 'error']);
    expect(ignoreFindings(base, new Set())).toBe(base);
  });

  it('works across a sweep and its own findings, totals and verdict recomputed', () => {
    const doc = runsDocument([{ namespace: 'a', serviceAccount: 'b', report: report() }], [imds]);
    expect(doc.verdict).toBe('warn');
    expect(doc.summary.warn).toBe(2);
    const ignored = ignoreInRuns(doc, new Set(['IMDS-REACHABLE']));
    expect(ignored.verdict).toBe('pass');
    expect(ignored.summary).toMatchObject({ warn: 0, info: 2 });
    expect(ignoredStatus(ignored.findings![0]!)).toBe('warn');
  });
});

describe('exitCodeOf with --fail-on', () => {
  it.each([
    ['fail', 'fail', 1],
    ['warn', 'fail', 0],
    ['warn', 'warn', 1],
    ['pass', 'warn', 0],
    ['fail', 'never', 0],
  ] as const)('verdict %s, --fail-on %s: exit %i', (verdict, failOn, code) => {
    expect(exitCodeOf(verdict, failOn)).toBe(code);
  });
});
