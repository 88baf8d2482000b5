import { describe, expect, it } from 'vitest';
import { createProgress, progressWanted, SILENT, trackRunning } from '../../../src/cli/progress.js';

/** A stderr that says it is a terminal and records lines and status-line rewrites. */
function fakeTty(columns = 80) {
  const events: string[] = [];
  return {
    events,
    isTTY: true,
    columns,
    write: (s: string) => events.push(`line:${s}`) > 0,
    writeStatus: (s: string) => void events.push(`status:${s}`),
  } as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number; events: string[] };
}

describe('progressWanted', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { CI: 'true' }, false],
    [true, { CI: '1' }, false],
    [true, { CI: 'false' }, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
  ])('stderr a TTY: %s, env %j -> %s', (isTTY, env, wanted) => {
    expect(progressWanted({ isTTY }, env)).toBe(wanted);
  });
});

describe('createProgress', () => {
  it('rewrites one status line, clears it around a lasting line, and clears it at the end', () => {
    const s = fakeTty();
    const p = createProgress(s, {});
    p.status('Checking: 1 of 3 done');
    p.say('created Job x');
    p.status('Checking: 2 of 3 done');
    p.end();
    p.status('after the end');
    expect(s.events).toEqual([
      'status:Checking: 1 of 3 done',
      'status:',
      'line:created Job x\n',
      'status:Checking: 1 of 3 done',
      'status:Checking: 2 of 3 done',
      'status:',
    ]);
  });

  it('keeps the status line within the terminal width', () => {
    const s = fakeTty(30);
    createProgress(s, {}).status('x'.repeat(100));
    expect(s.events[0]).toBe(`status:${'x'.repeat(28)}…`);
  });

  it('is silent off a terminal and in CI', () => {
    expect(createProgress({ ...fakeTty(), isTTY: false } as never, {})).toBe(SILENT);
    expect(createProgress(fakeTty(), { CI: 'true' })).toBe(SILENT);
  });
});

describe('trackRunning', () => {
  it('says how many are done and what is still being waited for, with the seconds', () => {
    const s = fakeTty(200);
    let now = 0;
    const t = trackRunning(createProgress(s, {}), 'Checking', ['env', 'sts', 'imds'], () => now);
    now = 2500;
    t.done('env');
    t.done('imds');
    t.stop();
    expect(s.events).toEqual([
      'status:Checking: 0 of 3 done, waiting for env, sts, imds (0 s)',
      'status:Checking: 1 of 3 done, waiting for sts, imds (2 s)',
      'status:Checking: 2 of 3 done, waiting for sts (2 s)',
    ]);
  });
});
