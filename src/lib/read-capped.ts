import type { Readable } from 'node:stream';
import { BodyTooLargeError } from './body-too-large.js';

/**
 * Reads a stream to its end, at most `maxBytes`: past that, or when `signal` fires, the stream is
 * destroyed (closing its socket) and the promise rejects, with BodyTooLargeError or the signal's reason.
 */
export function readCapped(stream: Readable, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (e: unknown) =>
      settle(() => {
        stream.destroy();
        reject(e);
      });
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > maxBytes) return fail(new BodyTooLargeError(maxBytes));
      chunks.push(b);
    });
    stream.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
    stream.once('error', fail);
    // A peer that closes mid-body: what came is incomplete, which is an error, not an answer.
    stream.once('close', () =>
      fail(
        Object.assign(new Error('the connection closed before the answer was complete'), {
          code: 'ECONNRESET',
        }),
      ),
    );
  });
}
