import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardIo } from '../../../src/cli/guarded-io.js';
import type { Io } from '../../../src/cli/io.js';

/** A stream that records what reaches it, and can be made to fail like a closed pipe or a full disk. */
class Sink extends Writable {
  text = '';
  isTTY = true;
  columns = 99;
  override _write(chunk: unknown, _e: BufferEncoding, done: (error?: Error | null) => void) {
    this.text += String(chunk);
    done();
  }
  fail(code: string) {
    this.emit('error', Object.assign(new Error(`${code}: failed, write`), { code }));
  }
}

function guarded() {
  const stdout = new Sink();
  const stderr = new Sink();
  const exits: number[] = [];
  const io = guardIo({ stdout, stderr, env: {} } satisfies Io, 'irsa-doctor check', (c) => exits.push(c));
  return { io, stdout, stderr, exits };
}

describe('guardIo', () => {
  it('redacts both streams and escapes controls on stderr only (stdout keeps the renderer colour)', () => {
    const { io, stdout, stderr } = guarded();
    io.stdout.write('\x1b[32mPASS\x1b[0m http://admin:CANARY-pw@host\n');
    io.stderr.write('unknown flag --x\x1b[2J\r at http://admin:CANARY-pw@host\n');
    expect(stdout.text).toBe('\x1b[32mPASS\x1b[0m http://admin:<redacted>@host\n');
    expect(stderr.text).toBe('unknown flag --x\\x1b[2J\\r at http://admin:<redacted>@host\n');
  });

  it('the status line is the only cursor movement: its own carriage return and erase, the text escaped', () => {
    const { io, stderr } = guarded();
    io.stderr.writeStatus?.('Checking: sts\x1b[2J\r http://admin:CANARY-pw@host');
    expect(stderr.text).toBe('\r\x1b[2KChecking: sts\\x1b[2J\\r http://admin:<redacted>@host');
  });

  it('passes isTTY and columns through, so output and colour choices still see the terminal', () => {
    const { io } = guarded();
    expect(io.stdout.isTTY).toBe(true);
    expect(io.stderr.columns).toBe(99);
  });

  it('a reader that went away (EPIPE) ends quietly with 141, once', () => {
    const { stdout, stderr, exits } = guarded();
    stdout.fail('EPIPE');
    stdout.fail('EPIPE');
    expect(exits).toEqual([141]);
    expect(stderr.text).toBe('');
  });

  it('any other write error is one line on stderr and status 1', () => {
    const { stdout, stderr, exits } = guarded();
    stdout.fail('ENOSPC');
    expect(exits).toEqual([1]);
    expect(stderr.text).toBe('irsa-doctor check: cannot write to standard output: ENOSPC: failed, write\n');
  });

  it('a failing stderr is dropped, not fatal: the run goes on (and still cleans up)', () => {
    const { io, stdout, stderr, exits } = guarded();
    stderr.fail('EPIPE');
    io.stderr.write('progress\n');
    io.stdout.write('report\n');
    expect(exits).toEqual([]);
    expect(stderr.text).toBe('');
    expect(stdout.text).toBe('report\n');
  });
});
