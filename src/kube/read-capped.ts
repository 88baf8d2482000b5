/** What was read of a body: at most the cap, and whether more was on its way. */
export interface Capped {
  bytes: Buffer;
  /** The body went on past the cap; the rest was not read (the stream is cancelled). */
  truncated: boolean;
}

/**
 * Reads a response body up to `maxBytes` and cancels the rest, so a server that sends 200 MB costs
 * `maxBytes`, not 200 MB and its string copies. A body that breaks off is what arrived so far.
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null | undefined,
  maxBytes: number,
): Promise<Capped> {
  if (!stream) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks, size), truncated: false };
      const room = maxBytes - size;
      if (value.length > room) {
        chunks.push(Buffer.from(value.buffer, value.byteOffset, room));
        await reader.cancel().catch(() => undefined);
        return { bytes: Buffer.concat(chunks, maxBytes), truncated: true };
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.length));
      size += value.length;
    }
  } finally {
    reader.releaseLock();
  }
}
