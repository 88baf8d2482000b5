// A fix (a finding's remediation) is prose with two marks, both from the catalog's templates: a `code
// span` around a command or a name to type as it is, and a fenced block (``` lines) around a document to
// paste (a trust policy). Values filled into a template cannot add either (template.ts shows their
// backticks as \u0060), so the marks are the catalog's own. Renderers lay the pieces out: text keeps
// commands whole on their own lines, Markdown shows them as code, plain sinks drop the marks.

/** A run of prose words, or a code span kept as it is. */
export type FixInline = { kind: 'text'; text: string } | { kind: 'code'; text: string };

/** A line of the fix (prose with code spans), or a fenced block of lines kept exactly. */
export type FixBlock =
  | { kind: 'paragraph'; parts: FixInline[] }
  | { kind: 'code-block'; lang: string; lines: string[] };

const FENCE = /^```([a-z]*)\s*$/;

export function parseFix(text: string): FixBlock[] {
  const blocks: FixBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (open) {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
      blocks.push({ kind: 'code-block', lang: open[1] ?? '', lines: body });
      continue;
    }
    blocks.push({ kind: 'paragraph', parts: inlineParts(lines[i]!) });
  }
  return blocks;
}

/** A line's prose and code spans; a backtick with no partner on the line is prose. */
function inlineParts(line: string): FixInline[] {
  const parts: FixInline[] = [];
  let rest = line;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (close < 0) {
      if (rest) parts.push({ kind: 'text', text: rest });
      return parts;
    }
    if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
    if (close > open + 1) parts.push({ kind: 'code', text: rest.slice(open + 1, close) });
    rest = rest.slice(close + 1);
  }
}

/** The fix without its marks: for sinks that show plain text (a SARIF message, a JUnit attribute). */
export function plainFix(text: string): string {
  return parseFix(text)
    .map((b) => (b.kind === 'code-block' ? b.lines.join('\n') : b.parts.map((p) => p.text).join('')))
    .join('\n');
}

/** Commands this long (with a space in them) get a line of their own in text, indented, never wrapped. */
export const INLINE_COMMAND_MAX = 40;

/**
 * Whether a code span is laid out as a block of its own: a command of several words that would not sit
 * comfortably inside a sentence. Shorter spans (`date -u`, a name) stay in the sentence, still unbroken.
 */
export function isCommandBlock(code: string): boolean {
  return /\s/.test(code) && code.length > INLINE_COMMAND_MAX;
}
