import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/cli/progress.js';
import { launcherProgress } from '../../../src/launcher/progress.js';

describe('launcherProgress', () => {
  it('says each phase of the Job as a line: scheduling, pulling, running', () => {
    const lines: string[] = [];
    const base: Progress = { say: (l) => void lines.push(l), status: () => undefined, end: () => undefined };
    const p = launcherProgress(base);
    p.say('camunda/zeebe: created Job irsa-doctor-zeebe-x2k9z');
    p.phase('camunda/zeebe', 'scheduling');
    p.phase('camunda/zeebe', 'pulling', 'node ip-10-0-1-23');
    p.phase('camunda/zeebe', 'running');
    expect(lines).toEqual([
      'camunda/zeebe: created Job irsa-doctor-zeebe-x2k9z',
      'camunda/zeebe: waiting for a node',
      'camunda/zeebe: scheduled; pulling the image (node ip-10-0-1-23)',
      'camunda/zeebe: running the checks',
    ]);
  });
});
