import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { capBody } from '../../../src/aws/capped-http-handler.js';
import { BODY_TOO_LARGE } from '../../../src/lib/body-too-large.js';

const collect = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

describe('capBody', () => {
  it('passes a body under the cap through unchanged', async () => {
    expect(await collect(capBody(Readable.from([Buffer.from('<xml/>')]), 100))).toBe('<xml/>');
  });
  it('fails past the cap and stops reading the source', async () => {
    let pulled = 0;
    const source = new Readable({
      read() {
        pulled += 1;
        this.push(Buffer.alloc(64, 65));
      },
    });
    await expect(collect(capBody(source, 1000))).rejects.toMatchObject({ code: BODY_TOO_LARGE });
    expect(source.destroyed).toBe(true);
    expect(pulled).toBeLessThan(40);
  });
  it('fails at once when Content-Length already exceeds the cap', async () => {
    const source = Object.assign(Readable.from([Buffer.from('x')]), {
      headers: { 'content-length': '999999' },
    });
    await expect(collect(capBody(source, 1000))).rejects.toMatchObject({ code: BODY_TOO_LARGE });
  });
  it('fails a body that trickles past its deadline', async () => {
    const source = new Readable({ read() {} });
    await expect(collect(capBody(source, 1000, 50))).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});
