import { runShell } from './cli/shell.js';
import { COMMANDS } from './commands.js';
import { exitIfStuck } from './lib/exit-if-stuck.js';

runShell(COMMANDS, process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
  exitIfStuck(code);
});
