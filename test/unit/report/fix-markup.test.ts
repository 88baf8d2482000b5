import { describe, expect, it } from 'vitest';
import { isCommandBlock, parseFix, plainFix } from '../../../src/report/fix-markup.js';

describe('fix markup', () => {
  it('splits prose, code spans and fenced documents', () => {
    const fix =
      'Run `kubectl rollout restart deployment/app -n ns`, then check:\n```json\n{\n  "a": 1\n}\n```\nDone.';
    expect(parseFix(fix)).toEqual([
      {
        kind: 'paragraph',
        parts: [
          { kind: 'text', text: 'Run ' },
          { kind: 'code', text: 'kubectl rollout restart deployment/app -n ns' },
          { kind: 'text', text: ', then check:' },
        ],
      },
      { kind: 'code-block', lang: 'json', lines: ['{', '  "a": 1', '}'] },
      { kind: 'paragraph', parts: [{ kind: 'text', text: 'Done.' }] },
    ]);
    expect(plainFix(fix)).toBe(
      'Run kubectl rollout restart deployment/app -n ns, then check:\n{\n  "a": 1\n}\nDone.',
    );
  });

  it('reads a lone backtick as prose and an unclosed fence as running to the end', () => {
    expect(parseFix('a ` b')).toEqual([{ kind: 'paragraph', parts: [{ kind: 'text', text: 'a ` b' }] }]);
    expect(parseFix('```\nx')).toEqual([{ kind: 'code-block', lang: '', lines: ['x'] }]);
  });

  it('gives long commands a line of their own, keeps names and short commands in the sentence', () => {
    expect(isCommandBlock('kubectl rollout restart deployment/app -n camunda')).toBe(true);
    expect(isCommandBlock('date -u')).toBe(false);
    expect(isCommandBlock('arn:aws:iam::111122223333:role/a-very-long-role-name-indeed')).toBe(false);
  });
});
