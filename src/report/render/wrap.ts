import { type FixInline, isCommandBlock, parseFix } from '../fix-markup.js';

// Text laid out for a terminal of a given width: words wrapped at spaces with a hanging indent, never
// broken inside; a fix's commands and documents kept whole on lines of their own, indented under the
// prose, so a triple-click copies exactly one command. Widths count characters: every value reaching
// here is already escaped to printable text.

/** How much deeper than the prose a fix's command or document is indented. */
const BLOCK_INDENT = '  ';

/**
 * Words of `text` wrapped to `width`: the first line starts with `first`, the others with `hang`. A
 * word longer than a line gets a line of its own and runs past the width rather than being cut.
 */
export function wrapText(text: string, width: number, first: string, hang: string): string[] {
  return wrapWords(text.split(/\s+/), width, first, hang);
}

/** Items (words, `key=value` facts) wrapped like wrapText, joined by `gap`. */
export function wrapWords(
  words: readonly string[],
  width: number,
  first: string,
  hang: string,
  gap = ' ',
): string[] {
  const out = new LineBuilder(width, first, hang, gap);
  for (const word of words) if (word) out.word(word);
  return out.done();
}

/**
 * A fix laid out like wrapText, its marks honoured (fix-markup.ts): a command of several words goes on
 * a line of its own (indented by two more, never wrapped), and so does every line of a fenced document;
 * short code spans stay in the sentence as one unbreakable word. Parentheses and punctuation that only
 * framed a command in the sentence are dropped around its line. `show` renders each value as it must
 * appear (escaped); numbered steps (`1. `) hang under their text.
 */
export function layoutFix(
  fix: string,
  width: number,
  first: string,
  hang: string,
  show: (s: string) => string,
): string[] {
  const lines: string[] = [];
  let prefix = first;
  for (const block of parseFix(fix)) {
    if (block.kind === 'code-block') {
      if (prefix.trim() !== '') lines.push(prefix.trimEnd());
      for (const l of block.lines) lines.push(`${hang}${BLOCK_INDENT}${show(l)}`);
      prefix = hang;
      continue;
    }
    const step = /^\d+\. /.exec(block.parts[0]?.kind === 'text' ? block.parts[0].text : '');
    const under = step ? hang + ' '.repeat(step[0].length) : hang;
    const out = new LineBuilder(width, prefix, under);
    for (const piece of pieces(block.parts, show)) {
      if (piece.kind === 'word') out.word(piece.text);
      else for (const line of commandLines(piece.text, width, `${under}${BLOCK_INDENT}`)) out.block(line);
    }
    lines.push(...out.done());
    prefix = hang;
  }
  return lines;
}

/** Programs whose commands a shell runs: a long one is split with `\` line continuations. */
const SHELL_COMMAND = /^(aws|kubectl|eksctl|curl|helm|psql|openssl|dig|nc) /;

/**
 * A command on lines of `width`: whole when it fits; a shell command too long for one line is split
 * between its arguments (never inside quotes or a word) with a ` \` continuation, so the lines pasted
 * together into a shell are the same command. Anything else (SQL, a YAML line) stays one line, past
 * the width if need be: the terminal wraps it, a copy of it is still whole.
 */
export function commandLines(command: string, width: number, indent: string): string[] {
  if (indent.length + command.length <= width || !SHELL_COMMAND.test(command)) return [`${indent}${command}`];
  const words = shellWords(command);
  if (!words) return [`${indent}${command}`];
  const lines: string[] = [];
  let line = `${indent}${words[0]}`;
  for (const w of words.slice(1)) {
    // A line of ours never starts with a status word a value brought (see LABEL_WORD).
    if (line.length + 1 + w.length + 2 > width && !LABEL_WORD.test(w)) {
      lines.push(`${line} \\`);
      line = `${indent}    ${w}`;
    } else line += ` ${w}`;
  }
  lines.push(line);
  return lines;
}

/** The command's words, quotes kept in them; undefined when a quote is left open (then kept whole). */
function shellWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const ch of command) {
    if (quote) {
      word += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      word += ch;
      quote = ch;
    } else if (ch === ' ') {
      if (word) words.push(word);
      word = '';
    } else word += ch;
  }
  if (quote) return undefined;
  if (word) words.push(word);
  return words;
}

type Piece = { kind: 'word'; text: string } | { kind: 'block'; text: string };

/** A paragraph's words (code spans glued to the punctuation that touches them) and command blocks. */
function pieces(parts: FixInline[], show: (s: string) => string): Piece[] {
  const out: Piece[] = [];
  let glue = false;
  let afterBlock: { paren: boolean } | undefined;
  const add = (text: string) => {
    const last = out.at(-1);
    if (glue && last?.kind === 'word') last.text += text;
    else out.push({ kind: 'word', text });
    glue = true;
  };
  for (const part of parts) {
    if (part.kind === 'code' && isCommandBlock(part.text)) {
      const last = out.at(-1);
      const paren = glue && last?.kind === 'word' && last.text.endsWith('(');
      if (paren && last) {
        last.text = last.text.slice(0, -1);
        if (last.text === '') out.pop();
      }
      out.push({ kind: 'block', text: show(part.text) });
      glue = false;
      afterBlock = { paren };
      continue;
    }
    if (part.kind === 'code') {
      add(show(part.text));
      afterBlock = undefined;
      continue;
    }
    let text = part.text;
    if (afterBlock) {
      // What only closed the sentence around the command: `), then` reads as `then` under it.
      if (afterBlock.paren) text = text.replace(/^\)/, '');
      text = text.replace(/^[,.;:]+/, '');
      afterBlock = undefined;
    }
    for (const bit of text.split(/(\s+)/)) {
      if (bit === '') continue;
      if (/^\s+$/.test(bit)) glue = false;
      else add(show(bit));
    }
  }
  return out;
}

/**
 * A word a line of the report may start with (PASS, FAIL, ...). A wrapped line never starts with one:
 * the word before it comes along, so a value that says "PASS STS-OK" cannot pass for a line of ours.
 */
const LABEL_WORD = /^(PASS|INFO|WARN|FAIL|SKIP|ERROR)\b/i;

/** Fills lines word by word; a block line breaks the paragraph where it stands. */
class LineBuilder {
  private readonly lines: string[] = [];
  private prefix: string;
  private words: string[] = [];

  constructor(
    private readonly width: number,
    first: string,
    private readonly hang: string,
    private readonly gap = ' ',
  ) {
    this.prefix = first;
  }

  word(w: string): void {
    if (this.words.length > 0 && this.length() + this.gap.length + w.length > this.width) {
      const carried = LABEL_WORD.test(w) && this.words.length > 1 ? this.words.pop() : undefined;
      this.flush();
      if (carried !== undefined) this.words.push(carried);
    }
    this.words.push(w);
  }

  block(line: string): void {
    if (this.words.length > 0 || this.prefix.trim() !== '') this.lines.push(this.text().trimEnd());
    this.lines.push(line);
    this.prefix = this.hang;
    this.words = [];
  }

  done(): string[] {
    if (this.words.length > 0 || this.lines.length === 0) this.lines.push(this.text().trimEnd());
    return this.lines;
  }

  private length(): number {
    return this.text().length;
  }

  private text(): string {
    return this.prefix + this.words.join(this.gap);
  }

  private flush(): void {
    this.lines.push(this.text());
    this.prefix = this.hang;
    this.words = [];
  }
}

/** One line of at most `width` characters: cut with an ellipsis when longer. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}
