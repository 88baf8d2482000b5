import { describe, expect, it } from 'vitest';
import { checkStatusOf, exitCodeOf, summarize, verdictOf } from '../../../src/report/summary.js';
import type { CheckResult, Finding, FindingStatus } from '../../../src/report/types.js';

const check = (
  id: string,
  status: CheckResult['status'],
  findings: CheckResult['findings'],
): CheckResult => ({
  id,
  title: id,
  status,
  durationMs: 1,
  findings,
});

// Summaries only read statuses: plain findings, not catalog codes.
const f = (status: FindingStatus): Finding => ({
  code: `X-${status.toUpperCase()}`,
  status,
  message: status,
});
const pass = () => f('pass');
const info = () => f('info');
const warn = () => f('warn');
const fail = () => f('fail');

describe('summary and verdict', () => {
  it('takes the worst finding as the check status', () => {
    expect(checkStatusOf([pass(), warn(), info()])).toBe('warn');
    expect(checkStatusOf([])).toBe('pass');
  });

  it('counts errored checks apart from failed findings and fails the verdict on either', () => {
    const s = summarize([check('a', 'error', []), check('b', 'pass', [pass()])]);
    expect(s).toEqual({ pass: 1, info: 0, warn: 0, fail: 0, skip: 0, error: 1 });
    expect(verdictOf(s)).toBe('fail');
    expect(exitCodeOf(verdictOf(s))).toBe(1);
  });

  it('warns without failing, and exits 0 on warn', () => {
    const s = summarize([check('a', 'warn', [warn()]), check('b', 'fail', [])]);
    expect(verdictOf(s)).toBe('warn');
    expect(exitCodeOf('warn')).toBe(0);
    expect(verdictOf(summarize([check('c', 'fail', [fail()])]))).toBe('fail');
  });
});
