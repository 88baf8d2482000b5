import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../../src/lib/escape-controls.js';

describe('escapeControls', () => {
  it('shows terminal controls as text: escape, bell, carriage return, DEL, C1, bidi overrides', () => {
    expect(escapeControls('a\x1b]0;t\x07b\x1b[2J\rc\x7f\x9b\u202ed\u2028')).toBe(
      'a\\x1b]0;t\\x07b\\x1b[2J\\rc\\x7f\\x9b\\u202ed\\u2028',
    );
    expect(escapeControls('tab\there\nnext\x00')).toBe('tab\\there\\nnext\\x00');
  });

  it('keeps line breaks when asked (text whose lines are its own), and plain text unchanged', () => {
    expect(escapeControls('one\ntwo\r\n', { keepNewlines: true })).toBe('one\ntwo\\r\n');
    const plain = 'arn:aws:iam::111122223333:role/app — é ü 日本';
    expect(escapeControls(plain)).toBe(plain);
  });
});
