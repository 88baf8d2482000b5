import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort, startBlackhole } from './net-fixtures.js';

function probe(port: number, waitMs: number): Promise<'refused' | 'silent' | 'data' | 'closed'> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'closed'));
    s.on('data', () => resolve('data'));
    s.on('end', () => resolve('closed'));
    s.on('connect', () => {
      s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
      setTimeout(() => {
        s.destroy();
        resolve('silent');
      }, waitMs);
    });
  });
}

describe('net fixtures', () => {
  it('blackhole accepts and never answers; closedPort refuses', async () => {
    const b = await startBlackhole();
    try {
      expect(await probe(b.port, 150)).toBe('silent');
      expect(b.connections()).toBe(1);
    } finally {
      await b.close();
    }
    expect(await probe(await closedPort(), 150)).toBe('refused');
  });
});
