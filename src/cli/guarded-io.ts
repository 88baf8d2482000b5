import { Writable } from 'node:stream';
import { escapeControls } from '../lib/escape-controls.js';
import { redact } from '../lib/redact.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';

type Stream = Io['stdout'];

/**
 * The streams every command writes through, made safe once, at the edge:
 *
 * - Every chunk on either stream passes redact(), whatever printed it: a report the renderers already
 *   redacted, a `run --dry-run` manifest holding the agent's flags, a usage error echoing a flag value.
 * - stderr shows control characters escaped (its line breaks kept): its lines quote what the user typed
 *   and what servers said, and nothing there is the tool's own colour.
 * - A stdout that can no longer be written ends the program at once. A reader that went away
 *   (`irsa-doctor check | head`, EPIPE) is no failure of the tool: no message, status 141, what a shell
 *   reports for a program ended by SIGPIPE. Any other failure (ENOSPC on a full disk) is one line on
 *   stderr and status 1. A stderr that fails is only dropped: there is nobody left to tell, and the
 *   run still finishes (and deletes its Job).
 *
 * `exit` ends the process (exitNow in the entry points); it is called at most once.
 */
export function guardIo(io: Io, label: string, exit: (code: number) => void): Io {
  let exited = false;
  let stderrWorks = true;
  const end = (code: number) => {
    if (exited) return;
    exited = true;
    exit(code);
  };
  io.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return end(EXIT.brokenPipe);
    if (stderrWorks) {
      const why = redact((e.message || String(e.code)).split('\n')[0]!);
      io.stderr.write(`${label}: cannot write to standard output: ${why}\n`);
    }
    end(EXIT.failed);
  });
  io.stderr.on('error', () => {
    stderrWorks = false;
  });
  const stderr = new Filtered(io.stderr, (text) =>
    stderrWorks ? escapeControls(redact(text), { keepNewlines: true }) : undefined,
  );
  return {
    env: io.env,
    stdout: new Filtered(io.stdout, (text) => (exited ? undefined : redact(text))),
    stderr: Object.assign(stderr, {
      // The status line is the one place the tool moves the cursor: a carriage return and "erase line"
      // of its own, then the text, escaped like everything else (it names checks and ServiceAccounts).
      writeStatus: (text: string) => {
        if (stderrWorks && !exited) io.stderr.write(`\r\x1b[2K${escapeControls(redact(text))}`);
      },
    }),
  };
}

/**
 * Writes each chunk, filtered, straight through to the real stream, synchronously: nothing is buffered
 * here, so a line written before process.exit() is not lost. Errors surface on the real stream, where
 * guardIo listens.
 */
class Filtered extends Writable {
  constructor(
    private readonly target: Stream,
    private readonly filter: (text: string) => string | undefined,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const out = this.filter(text);
    if (out !== undefined && out !== '') this.target.write(out);
    done();
  }

  get isTTY(): boolean | undefined {
    return this.target.isTTY;
  }

  get columns(): number | undefined {
    return this.target.columns;
  }
}
