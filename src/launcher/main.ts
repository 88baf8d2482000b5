import type { Io } from '../agent/main.js';

/** `irsa-doctor run`: placeholder until the launcher lands. */
export async function runMain(_argv: readonly string[], io: Io): Promise<number> {
  io.stderr.write('irsa-doctor run: not implemented yet\n');
  return 2;
}
