import { describe, expect, it } from 'vitest';
import { fail, info, pass, warn } from '../../src/report/finding.js';
import { checkStatusOf, exitCodeOf, summarize, verdictOf } from '../../src/report/summary.js';
import type { CheckResult } from '../../src/report/types.js';

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

describe('summary and verdict', () => {
  it('takes the worst finding as the check status', () => {
    expect(checkStatusOf([pass('A', 'a'), warn('B', 'b', 'fix'), info('C', 'c')])).toBe('warn');
    expect(checkStatusOf([])).toBe('pass');
  });

  it('counts errored checks apart from failed findings and fails the verdict on either', () => {
    const s = summarize([check('a', 'error', []), check('b', 'pass', [pass('A', 'a')])]);
    expect(s).toEqual({ pass: 1, info: 0, warn: 0, fail: 0, skip: 0, error: 1 });
    expect(verdictOf(s)).toBe('fail');
    expect(exitCodeOf(verdictOf(s))).toBe(1);
  });

  it('warns without failing, and exits 0 on warn', () => {
    const s = summarize([check('a', 'warn', [warn('W', 'w', 'fix')]), check('b', 'fail', [])]);
    expect(verdictOf(s)).toBe('warn');
    expect(exitCodeOf('warn')).toBe(0);
    expect(verdictOf(summarize([check('c', 'fail', [fail('F', 'f', 'fix')])]))).toBe('fail');
  });
});
