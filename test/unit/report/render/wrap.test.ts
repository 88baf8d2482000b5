import { describe, expect, it } from 'vitest';
import { commandLines, layoutFix, truncate, wrapText } from '../../../../src/report/render/wrap.js';

const same = (s: string) => s;

describe('wrapText', () => {
  it('wraps at spaces with a hanging indent, never inside a word', () => {
    const lines = wrapText('one two three four five six seven', 16, '- ', '  ');
    expect(lines).toEqual(['- one two three', '  four five six', '  seven']);
    expect(wrapText('a supercalifragilistic b', 10, '', '')).toEqual(['a', 'supercalifragilistic', 'b']);
  });
});

describe('layoutFix', () => {
  it('puts a long command on a line of its own, whole, and drops what only framed it', () => {
    const fix =
      'Remove it from the spec (`kubectl set env deployment/app -n camunda AWS_ROLE_ARN-`), then restart the pods.';
    expect(layoutFix(fix, 62, 'Fix: ', '     ', same)).toEqual([
      'Fix: Remove it from the spec',
      '       kubectl set env deployment/app -n camunda AWS_ROLE_ARN-',
      '     then restart the pods.',
    ]);
  });

  it('splits a shell command too long for the width between its arguments, with continuations', () => {
    const fix = 'Run `kubectl set env deployment/app -n camunda AWS_ROLE_ARN-` now.';
    expect(layoutFix(fix, 40, 'Fix: ', '     ', same)).toEqual([
      'Fix: Run',
      '       kubectl set env deployment/app \\',
      '           -n camunda AWS_ROLE_ARN-',
      '     now.',
    ]);
  });
});

describe('commandLines', () => {
  it('never splits inside quotes, and the lines joined are the same command for a shell', () => {
    const cmd = `kubectl get sa x -n camunda -o jsonpath='{.metadata.annotations.a b c}' --context prod`;
    const lines = commandLines(cmd, 40, '  ');
    expect(lines.every((l, i) => i === lines.length - 1 || l.endsWith(' \\'))).toBe(true);
    expect(lines.some((l) => l.includes(`'{.metadata.annotations.a b c}'`))).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(cmd);
  });

  it('keeps whole what it cannot split safely: an open quote, SQL, a line that fits', () => {
    expect(commandLines(`aws iam get-role --role-name 'x y`, 20, '')).toEqual([
      `aws iam get-role --role-name 'x y`,
    ]);
    const sql = 'GRANT rds_iam TO zeebe; ALTER ROLE zeebe WITH LOGIN';
    expect(commandLines(sql, 20, '')).toEqual([sql]);
    expect(commandLines('aws sts get-caller-identity', 80, '  ')).toEqual(['  aws sts get-caller-identity']);
  });

  it('keeps a short code span in the sentence as one word, with the punctuation that touches it', () => {
    expect(layoutFix('Check the clock (`date -u`), then retry.', 24, '', '  ', same)).toEqual([
      'Check the clock',
      '  (date -u), then retry.',
    ]);
  });

  it('indents a fenced document under the prose, line for line', () => {
    expect(
      layoutFix('with trust.json:\n```json\n{\n  "a": 1\n}\n```\nThen retry.', 80, 'Fix: ', '     ', same),
    ).toEqual(['Fix: with trust.json:', '       {', '         "a": 1', '       }', '     Then retry.']);
  });

  it('hangs numbered steps under their text', () => {
    expect(layoutFix('1. first step words\n2. second', 16, '', '', same)).toEqual([
      '1. first step',
      '   words',
      '2. second',
    ]);
  });

  it('shows every piece through `show` (escaping happens there)', () => {
    const shown = layoutFix('a `b c d e f g h i j k l m n o p q r s t u v w` x', 80, '', '', (s) =>
      s.toUpperCase(),
    );
    expect(shown).toEqual(['A', '  B C D E F G H I J K L M N O P Q R S T U V W', 'X']);
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis to the exact width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
