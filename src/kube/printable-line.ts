import { redact } from '../lib/redact.js';

/** Longest text taken from another program's output into one of our messages. */
export const MAX_QUOTED_CHARS = 300;

/**
 * Text another program wrote, made safe to put in a message: colour and other ANSI escape
 * sequences dropped, remaining control characters shown as \xNN (a plugin cannot move the
 * cursor or rewrite our terminal), secrets redacted, and the length capped.
 */
export function printable(text: string, max = MAX_QUOTED_CHARS): string {
  const plain = text
    // CSI (colours, cursor moves) and OSC (titles, hyperlinks) sequences.
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const safe = redact(plain);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** The first line with something on it (tools often start errors with an empty line), made printable. */
export function firstPrintableLine(text: string, max = MAX_QUOTED_CHARS): string | undefined {
  const line = text.split(/\r?\n|\r/).find((l) => printable(l).trim() !== '');
  return line === undefined ? undefined : printable(line, max).trim();
}
