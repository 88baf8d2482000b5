import { exitNow } from '../lib/exit-now.js';
import { TOOL_VERSION } from '../version.js';
import type { CommandEntry } from './command.js';
import { describeCrash } from './crash.js';
import { didYouMean } from './did-you-mean.js';
import { EXIT } from './exit-codes.js';
import { guardIo } from './guarded-io.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * The one command-line shell every entry point runs: picks the command, loads only its code, and turns
 * what comes back into an exit code: usage errors are one line and exit 2, anything unexpected is one
 * redacted line (a stack trace only with --debug) and exit 1. Every command writes through guardIo:
 * redacted output, escaped stderr, and a closed or failing stdout ends the process (`exit`).
 */
export async function runShell(
  entries: readonly CommandEntry[],
  argv: readonly string[],
  rawIo: Io,
  exit: (code: number) => void = exitNow,
): Promise<number> {
  // `irsa-doctor -v check` reads as `irsa-doctor check -v`: verbose belongs to the command.
  const verbose = VERBOSE.has(argv[0] ?? '') && argv[1] !== undefined && !argv[1].startsWith('-');
  const [name, ...rest] = verbose ? [argv[1]!, argv[0]!, ...argv.slice(2)] : argv;
  const known = name !== undefined && entries.some((e) => e.name === name);
  const io = guardIo(rawIo, known ? `irsa-doctor ${name}` : 'irsa-doctor', exit);
  if (name === 'version' || name === '--version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === 'help' || name === '-h' || name === '--help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined || topic === 'help' || topic === 'version') {
      io.stdout.write(topLevelUsage(entries));
      return EXIT.ok;
    }
    return runEntry(entries, topic, ['--help'], io);
  }
  if (VERBOSE.has(name)) {
    io.stderr.write(
      `irsa-doctor: ${name} means --verbose and goes with a command (irsa-doctor check -v); the version is 'irsa-doctor --version'.\n`,
    );
    return EXIT.usage;
  }
  return runEntry(entries, name, rest, io);
}

const VERBOSE = new Set(['-v', '--verbose']);

async function runEntry(entries: readonly CommandEntry[], name: string, argv: readonly string[], io: Io) {
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    io.stderr.write(
      `irsa-doctor: ${unknownCommand(name, entries)}\nRun 'irsa-doctor help' for the commands.\n`,
    );
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    if (argv.includes('-h') || argv.includes('--help')) {
      const dash = argv.indexOf('--');
      const help = argv.findIndex((a) => a === '-h' || a === '--help');
      if (dash < 0 || help < dash) {
        io.stdout.write(command.usage);
        return EXIT.ok;
      }
    }
    return await command.run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const hint = e.hint ?? `Run 'irsa-doctor ${name} --help' for usage.`;
      io.stderr.write(`irsa-doctor ${name}: ${e.message}\n${hint ? `${hint}\n` : ''}`);
      return e.exitCode;
    }
    io.stderr.write(`irsa-doctor ${name}: ${describeCrash(e, argv.includes('--debug'))}\n`);
    return EXIT.failed;
  }
}

/** What to say about a command that does not exist: the closest one, or where a flag belongs. */
function unknownCommand(name: string, entries: readonly CommandEntry[]): string {
  const names = [...entries.map((e) => e.name), 'help', 'version'];
  if (name.startsWith('-')) {
    const guess = didYouMean(name, ['--help', '--version']);
    return guess
      ? `unknown flag ${name} (did you mean ${guess}?)`
      : `${name} is a flag of a command: give the command first (irsa-doctor check ${name})`;
  }
  const guess = didYouMean(name, names);
  return `unknown command ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ''}`;
}

function topLevelUsage(entries: readonly CommandEntry[]): string {
  const width = Math.max(...entries.map((e) => e.synopsis.length));
  const lines = entries.map((e) => `  irsa-doctor ${e.synopsis.padEnd(width)}  ${e.summary}`);
  return `irsa-doctor ${TOOL_VERSION}: find out why a pod's AWS identity (IRSA / EKS Pod Identity) does not work.

Usage:
${lines.join('\n')}
  irsa-doctor version
  irsa-doctor help COMMAND

Run 'irsa-doctor help COMMAND' (or 'irsa-doctor COMMAND --help') for the flags of each.
Reports: text on a terminal, JSON in a pipe; -o sarif, junit or markdown for CI; -v shows every
finding; --fail-on warn|never and --ignore CODES choose what fails the exit code (docs/output.md).
Exit codes: 0 nothing failed, 1 something failed, 2 usage or configuration error,
141 standard output closed by its reader (as for SIGPIPE: '| head').
`;
}
