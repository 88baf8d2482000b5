import { redactDeep } from '../../lib/redact.js';
import type { Report } from '../types.js';

/** The machine contract: pretty JSON, every string passed through redaction. */
export function renderJson(report: Report): string {
  return jsonText(redactDeep(report));
}

// JSON.stringify escapes the C0 controls in strings but not DEL, the C1 controls, the line separators or
// the bidirectional overrides; someone will `cat` the report in a terminal, so those are escaped too.
// `\uXXXX` is the same string to any JSON parser.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Pretty JSON whose every character is safe to print on a terminal. */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}
