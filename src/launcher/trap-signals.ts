import { EXIT } from '../cli/exit-codes.js';
import type { Io } from '../cli/io.js';

export type Sig = 'SIGINT' | 'SIGTERM';

export interface TrappedSignals {
  /** Aborts on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** The signal caught, if any. */
  caught(): Sig | undefined;
  release(): void;
}

/**
 * The first SIGINT/SIGTERM aborts the wait so the Jobs are deleted before exiting; a second one
 * exits at once (each Job's TTL and deadline still bound what is left behind). `command` names the
 * command in the line it prints.
 */
export function trapSignals(io: Io, command: string): TrappedSignals {
  const controller = new AbortController();
  let got: Sig | undefined;
  const handler = (sig: Sig) => {
    if (got) process.exit(EXIT[sig]);
    got = sig;
    io.stderr.write(
      `irsa-doctor ${command}: ${sig} received, stopping and deleting the Job if one exists (again to exit now)\n`,
    );
    controller.abort();
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    caught: () => got,
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
