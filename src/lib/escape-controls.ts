// Characters a terminal acts on instead of showing: the C0 controls (escape starts a sequence that can
// set the window title, clear the screen or move the cursor; carriage return rewrites the line; bell),
// DEL, the C1 controls (0x9b is a one-byte CSI on some terminals), and the Unicode line separators and
// bidirectional overrides that make text display in another order than it reads.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Shows every control character as visible text (`\x1b`, `\r`, `\n`, `\u202e`), so a value from a
 * token, a variable or a server's answer prints as what it is and cannot drive the terminal or add a
 * line to the layout. With `keepNewlines`, `\n` stays a line break (for text whose lines are its own).
 */
export function escapeControls(text: string, opts: { keepNewlines?: boolean } = {}): string {
  return text.replace(opts.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escapeOne);
}
