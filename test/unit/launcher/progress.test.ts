import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/launcher/progress.js';

function stream(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WritableStream & {
    isTTY: boolean;
    lines: string[];
  };
}

describe('createProgress', () => {
  it('talks on a terminal: Job created, scheduling, pulling, running', () => {
    const s = stream(true);
    const p = createProgress(s);
    p.say('camunda/zeebe: created Job irsa-doctor-zeebe-x2k9z');
    p.phase('camunda/zeebe', 'scheduling');
    p.phase('camunda/zeebe', 'pulling', 'node ip-10-0-1-23');
    p.phase('camunda/zeebe', 'running');
    expect(s.lines).toEqual([
      'camunda/zeebe: created Job irsa-doctor-zeebe-x2k9z\n',
      'camunda/zeebe: waiting for a node\n',
      'camunda/zeebe: scheduled; pulling the image (node ip-10-0-1-23)\n',
      'camunda/zeebe: running the checks\n',
    ]);
  });

  it('stays silent when stderr is not a terminal (CI logs, pipes)', () => {
    const s = stream(false);
    const p = createProgress(s);
    p.say('x');
    p.phase('a/b', 'running');
    expect(s.lines).toEqual([]);
  });
});
