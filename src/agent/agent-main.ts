import type { CommandEntry } from '../cli/command.js';
import { runShell } from '../cli/shell.js';
import { exitIfStuck } from '../lib/exit-if-stuck.js';
import { checkCommand } from './command.js';

/**
 * The agent-only program the image ships: `agent.mjs [check] [flags]`. The same shell as the full CLI
 * with only `check` in it; it leaves out the launcher and its Kubernetes client.
 */
const AGENT_COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    synopsis: 'check [flags]',
    summary: 'run the checks here, inside the pod under test',
    load: async () => checkCommand,
  },
];

export function agentMain(argv: readonly string[]): void {
  // The image's entrypoint is the agent itself: `agent.mjs --only sts` means `check --only sts`.
  const args = argv[0] === 'check' || argv[0] === 'version' || argv[0] === 'help' ? argv : ['check', ...argv];
  runShell(AGENT_COMMANDS, args, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
      exitIfStuck(code);
    },
  );
}
