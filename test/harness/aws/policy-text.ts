// Policy documents as IAM stores and returns them: text. IAM answers documents URL-encoded, and
// SimulatePrincipalPolicy points at statements by line and column in that text, so the emulator
// serialises once and locates each statement in the very string it returns.
import type { PolicyDocument } from '../iam.js';

export interface TextPosition {
  line: number;
  column: number;
}
export interface StatementSpan {
  start: TextPosition;
  end: TextPosition;
}

/** Pretty-printed the way the console stores documents. */
export function policyText(doc: PolicyDocument): string {
  return JSON.stringify(doc, null, 4);
}

/** IAM's encoding of documents in XML answers: RFC 3986 percent-encoding of the UTF-8 text. */
export function encodePolicy(text: string): string {
  return encodeURIComponent(text);
}

function skipWs(t: string, i: number): number {
  let j = i;
  while (j < t.length && /\s/.test(t[j])) j++;
  return j;
}

function skipString(t: string, i: number): number {
  let j = i + 1;
  while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just after the JSON value starting at i. */
function skipValue(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const ch = t[j];
      if (ch === '"') {
        j = skipString(t, j) - 1;
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return t.length;
  }
  let j = i;
  while (j < t.length && !/[\s,}\]]/.test(t[j])) j++;
  return j;
}

function positionOf(t: string, offset: number): TextPosition {
  const before = t.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Spans of the top-level Statement entries (one when Statement is a single object); [] if unparsable. */
export function statementSpans(text: string): StatementSpan[] {
  try {
    JSON.parse(text);
  } catch {
    return [];
  }
  let i = skipWs(text, 0);
  if (text[i] !== '{') return [];
  i++;
  while (i < text.length) {
    i = skipWs(text, i);
    if (text[i] === '}') return [];
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd) + 1; // past ':'
    i = skipWs(text, i);
    const valueEnd = skipValue(text, i);
    if (key === 'Statement') {
      const span = (s: number, e: number) => ({ start: positionOf(text, s), end: positionOf(text, e) });
      if (text[i] === '{') return [span(i, valueEnd)];
      const spans: StatementSpan[] = [];
      let j = skipWs(text, i + 1);
      while (j < valueEnd - 1) {
        const end = skipValue(text, j);
        spans.push(span(j, end));
        j = skipWs(text, end);
        if (text[j] === ',') j = skipWs(text, j + 1);
      }
      return spans;
    }
    i = skipWs(text, valueEnd);
    if (text[i] === ',') i++;
  }
  return [];
}
