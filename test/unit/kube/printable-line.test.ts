import { afterEach, describe, expect, it } from 'vitest';
import { firstPrintableLine, printable } from '../../../src/kube/printable-line.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/lib/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('printable', () => {
  it('drops colour and title sequences, escapes other control characters', () => {
    expect(printable('\x1b[1;31merror\x1b[0m \x1b]0;title\x07done')).toBe('error done');
    expect(printable('bell\x07 null\x00 del\x7f')).toBe('bell\\x07 null\\x00 del\\x7f');
  });

  it('redacts secrets and caps the length', () => {
    registerSecret('registered-secret-value');
    expect(printable('token is registered-secret-value')).toBe('token is <redacted>');
    expect(printable('word '.repeat(100), 20)).toBe(`${'word '.repeat(3)}word…`);
  });
});

describe('firstPrintableLine', () => {
  it('skips blank lines, including lines that are only escape sequences', () => {
    expect(firstPrintableLine('\n\x1b[0m\r\n  \nAn error occurred (ExpiredToken)\nmore')).toBe(
      'An error occurred (ExpiredToken)',
    );
    expect(firstPrintableLine('\n \n')).toBeUndefined();
  });
});
