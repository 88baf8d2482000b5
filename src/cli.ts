import { describeCrash } from './agent/main.js';
import { exitIfStuck } from './lib/exit-if-stuck.js';
import { TOOL_VERSION } from './version.js';

const USAGE = `irsa-doctor ${TOOL_VERSION}: find out why a pod's AWS identity (IRSA / EKS Pod Identity) does not work.

Usage:
  irsa-doctor check [flags]                      run the checks here, inside the pod under test
  irsa-doctor run -n NS -s SA [flags] [-- ARGS]   run the checks as a one-shot Job under ServiceAccount SA
  irsa-doctor version

Run 'irsa-doctor check --help' or 'irsa-doctor run --help' for the flags of each.
Exit codes: 0 nothing failed, 1 something failed, 2 usage error.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  switch (command) {
    case 'check':
      return (await import('./agent/main.js')).checkMain(rest, io);
    case 'run':
      return (await import('./launcher/main.js')).runMain(rest, io);
    case 'version':
    case '--version':
      io.stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      io.stdout.write(USAGE);
      return 0;
    default:
      io.stderr.write(`irsa-doctor: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    exitIfStuck(code);
  },
  (e: unknown) => {
    process.stderr.write(`irsa-doctor: ${describeCrash(e, process.argv.includes('--debug'))}\n`);
    process.exitCode = 1;
  },
);
