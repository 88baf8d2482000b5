import { describe, expect, it } from 'vitest';
import { fillTemplate, placeholdersOf, unknownValue } from '../../../../src/report/catalog/template.js';

describe('fix templates', () => {
  it('fills known values and names the unknown ones, with or without a stated fallback', () => {
    expect(
      fillTemplate('kubectl annotate sa {{serviceAccount}} -n {{namespace}}', { namespace: 'camunda' }),
    ).toBe('kubectl annotate sa SERVICE_ACCOUNT -n camunda');
    expect(fillTemplate('restart {{workload|deployment/NAME}}', {})).toBe('restart deployment/NAME');
    expect(fillTemplate('restart {{workload|deployment/NAME}}', { workload: 'sts/zeebe' })).toBe(
      'restart sts/zeebe',
    );
    expect(fillTemplate('port {{port}}', { port: 5432 })).toBe('port 5432');
    expect(unknownValue('roleArn')).toBe('ROLE_ARN');
  });

  it('leaves JSON braces alone', () => {
    const t = '{"Principal":{"AWS":"{{roleArn}}"}}';
    expect(placeholdersOf(t)).toEqual(['roleArn']);
    expect(fillTemplate(t, { roleArn: 'arn:aws:iam::1:role/x' })).toBe(
      '{"Principal":{"AWS":"arn:aws:iam::1:role/x"}}',
    );
  });

  it('shows control characters in a value escaped, so a value never adds a line or drives a terminal', () => {
    const hostile = 'arn:aws:iam::1:role/x\x1b]0;pwned\x07\r\n  PASS  all good\u009b2J';
    const filled = fillTemplate('annotate {{roleArn}} --overwrite\nthen restart', { roleArn: hostile });
    expect(filled).toBe(
      'annotate arn:aws:iam::1:role/x\\x1b]0;pwned\\x07\\r\\n  PASS  all good\\x9b2J --overwrite\nthen restart',
    );
    // The template's own line break is the only one.
    expect(filled.split('\n')).toHaveLength(2);
  });

  it('keeps the line breaks of a JSON document value (a trust policy to paste), whose strings cannot hold one', () => {
    const policy = JSON.stringify({ Statement: [{ Sid: 'a\nb\x1b' }] }, null, 2);
    const filled = fillTemplate('trust.json:\n{{trustPolicy}}\nthen retry', { trustPolicy: policy });
    expect(filled).toBe(`trust.json:\n${policy}\nthen retry`);
    expect(filled).not.toMatch(/\x1b/);
    // Text that merely looks like JSON on its first line is no document: its line breaks are escaped.
    expect(fillTemplate('{{x}}', { x: '{"a":1}\n  PASS  ok' })).toBe('{"a":1}\\n  PASS  ok');
  });

  it('shows a backtick in a value as \\u0060, so a value cannot open or close a code span or a block', () => {
    const filled = fillTemplate('run `kubectl get sa {{name}}` now', { name: 'x` rm -rf / `' });
    expect(filled).toBe('run `kubectl get sa x\\u0060 rm -rf / \\u0060` now');
    expect(filled.match(/`/g)).toHaveLength(2);
  });
});
