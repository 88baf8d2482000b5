import type { Io } from './io.js';

/** One subcommand of `irsa-doctor`, loaded only when it runs (each command brings only its own code). */
export interface Command {
  name: string;
  /** The whole `--help` text. */
  usage: string;
  /** Runs with argv after the command name; returns the exit code (see exit-codes.ts). */
  run(argv: readonly string[], io: Io): Promise<number>;
}

/** How the shell knows a command before loading it: its one-line summary, and how to load it. */
export interface CommandEntry {
  name: string;
  /** `irsa-doctor help` line, e.g. `check [flags]`. */
  synopsis: string;
  summary: string;
  load(): Promise<Command>;
}
