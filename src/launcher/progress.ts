import type { Progress as Lines } from '../cli/progress.js';
import type { WaitPhase } from './wait/judge-job.js';

/** The shared progress (cli/progress.ts) plus the phases of a Job the launcher waits through. */
export interface Progress extends Lines {
  phase(who: string, phase: WaitPhase, detail?: string): void;
}

const WORDS: Record<WaitPhase, string> = {
  creating: 'waiting for the Job to create its pod',
  scheduling: 'waiting for a node',
  pulling: 'scheduled; pulling the image',
  running: 'running the checks',
};

/** Each phase as a line that stays: on a terminal only, as every progress (createProgress decides). */
export function launcherProgress(lines: Lines): Progress {
  return {
    say: (line) => lines.say(line),
    status: (line) => lines.status(line),
    end: () => lines.end(),
    phase: (who, phase, detail) => lines.say(`${who}: ${WORDS[phase]}${detail ? ` (${detail})` : ''}`),
  };
}
