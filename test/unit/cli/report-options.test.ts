import { describe, expect, it } from 'vitest';
import type { Io } from '../../../src/cli/io.js';
import { reportOptions, textWidth } from '../../../src/cli/report-options.js';

const io = (env: Record<string, string> = {}, tty = false, columns?: number): Io =>
  ({ env, stdout: { isTTY: tty, columns }, stderr: {} }) as unknown as Io;

describe('reportOptions', () => {
  it('defaults: text on a terminal, json in a pipe, fail on fail, nothing ignored', () => {
    expect(reportOptions({}, io({}, true))).toMatchObject({ format: 'text', failOn: 'fail', verbose: false });
    expect(reportOptions({}, io()).format).toBe('json');
  });

  it('takes every format, --fail-on and -v', () => {
    for (const f of ['text', 'json', 'sarif', 'junit', 'markdown'])
      expect(reportOptions({ output: f }, io()).format).toBe(f);
    expect(reportOptions({ 'fail-on': 'warn', verbose: true }, io())).toMatchObject({
      failOn: 'warn',
      verbose: true,
    });
    expect(() => reportOptions({ 'fail-on': 'error' }, io())).toThrow(
      /--fail-on must be fail, warn or never/,
    );
    expect(() => reportOptions({ output: 'html' }, io())).toThrow(
      /--output must be text, json, sarif, junit or markdown/,
    );
  });

  it('joins --ignore and IRSA_DOCTOR_IGNORE, and names a typo instead of ignoring nothing', () => {
    const o = reportOptions(
      { ignore: ['imds-reachable,IMDS-V1-REACHABLE'] },
      io({ IRSA_DOCTOR_IGNORE: 'STS-AUDIENCE' }),
    );
    expect([...o.ignore]).toEqual(['IMDS-REACHABLE', 'IMDS-V1-REACHABLE', 'STS-AUDIENCE']);
    expect(() => reportOptions({ ignore: ['IMDS-REACHABEL'] }, io())).toThrow(
      /did you mean IMDS-REACHABLE\?/,
    );
  });
});

describe('textWidth', () => {
  it('COLUMNS, else the terminal, else 80; kept within 40..400', () => {
    expect(textWidth(io({ COLUMNS: '160' }, true, 100))).toBe(160);
    expect(textWidth(io({}, true, 100))).toBe(100);
    expect(textWidth(io({}, false, 100))).toBe(80);
    expect(textWidth(io({ COLUMNS: '10' }))).toBe(40);
    expect(textWidth(io({ COLUMNS: 'wide' }))).toBe(80);
  });
});
