import { runShell } from './cli/shell.js';
import { COMMANDS } from './commands.js';
import { exitIfStuck } from './lib/exit-if-stuck.js';

/** The full CLI: the shell over every command, each command's code loaded only when it runs. */
export function cliMain(argv: readonly string[]): void {
  runShell(COMMANDS, argv, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
      exitIfStuck(code);
    },
  );
}
