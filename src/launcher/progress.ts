import type { WaitPhase } from './wait/judge-job.js';

export interface Progress {
  say(line: string): void;
  phase(who: string, phase: WaitPhase, detail?: string): void;
}

const WORDS: Record<WaitPhase, string> = {
  creating: 'waiting for the Job to create its pod',
  scheduling: 'waiting for a node',
  pulling: 'scheduled; pulling the image',
  running: 'running the checks',
};

/** Progress goes to stderr and only to a terminal, so stdout stays one parseable report. */
export function createProgress(stderr: NodeJS.WritableStream & { isTTY?: boolean }): Progress {
  if (!stderr.isTTY) return { say: () => undefined, phase: () => undefined };
  return {
    say: (line) => stderr.write(`${line}\n`),
    phase: (who, phase, detail) => stderr.write(`${who}: ${WORDS[phase]}${detail ? ` (${detail})` : ''}\n`),
  };
}
