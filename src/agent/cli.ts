import { exitIfStuck } from '../lib/exit-if-stuck.js';
import { checkMain, describeCrash } from './main.js';

/**
 * Entry point of the agent-only bundle the image ships: `agent.mjs [check] [flags]`.
 * It leaves out the launcher and its Kubernetes client to keep the image small.
 */
const argv = process.argv.slice(2);
if (argv[0] === 'check') argv.shift();
checkMain(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
    exitIfStuck(code);
  },
  (e: unknown) => {
    process.stderr.write(`irsa-doctor: ${describeCrash(e, argv.includes('--debug'))}\n`);
    process.exitCode = 1;
  },
);
