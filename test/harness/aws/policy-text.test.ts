import { describe, expect, it } from 'vitest';
import { encodePolicy, policyText, statementSpans } from './policy-text.js';

describe('statementSpans', () => {
  it('locates each statement of the serialised document by line and column', () => {
    const text = policyText({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'a:b', Resource: '*' },
        { Sid: 'Two', Effect: 'Deny', Action: ['c:d', 'e:f'], Resource: '*' },
      ],
    });
    const spans = statementSpans(text);
    expect(spans).toHaveLength(2);
    const lines = text.split('\n');
    expect(lines[spans[0].start.line - 1][spans[0].start.column - 1]).toBe('{');
    expect(lines[spans[0].end.line - 1][spans[0].end.column - 2]).toBe('}');
    expect(lines[spans[1].start.line].trim()).toBe('"Sid": "Two",');
  });

  it('handles a single Statement object, braces inside strings, and compact text', () => {
    const text =
      '{"Version":"2012-10-17","Statement":{"Sid":"a}{","Effect":"Allow","Action":"*","Resource":"*"}}';
    expect(statementSpans(text)).toEqual([
      { start: { line: 1, column: 37 }, end: { line: 1, column: text.length } },
    ]);
    expect(statementSpans('{"Statement": [')).toEqual([]);
  });
});

describe('encodePolicy', () => {
  it('percent-encodes like IAM, so callers must decode before parsing', () => {
    expect(encodePolicy('{"a": "b c"}')).toBe('%7B%22a%22%3A%20%22b%20c%22%7D');
  });
});
