// What a PostgreSQL connection got as far as, seen from pg's own connection events: so a login that ends
// in a timeout or a parse error can say whether TCP, TLS and the protocol itself were reached, instead
// of blaming the TCP connect for a peer that completed TLS and then spoke something else.
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type pg from 'pg';
import { BodyTooLargeError } from '../../lib/body-too-large.js';

/**
 * A login and the few session questions after it take a few KiB each way. pg buffers a message until
 * it has all of it, whatever length the peer declared (a 1 GB "message" costs 1 GB), so every byte
 * received is counted and the connection closed past this cap.
 */
export const MAX_PG_RECEIVED_BYTES = 1024 * 1024;

export interface WireProgress {
  tcp: boolean;
  /** TLS was asked for (SSLRequest). */
  encrypted: boolean;
  /** The server answered the SSLRequest with 'S' and the TLS handshake completed. */
  tls: boolean;
  /** Bytes received after the TLS handshake (or after connect, without TLS). */
  bytes: number;
  /** PostgreSQL protocol messages pg could parse from them. */
  messages: number;
  /** The cap was hit and the connection closed. */
  tooLarge: boolean;
}

export function watchWire(client: pg.Client, maxBytes = MAX_PG_RECEIVED_BYTES): () => WireProgress {
  const encrypted = Boolean((client as unknown as { ssl?: unknown }).ssl);
  const p: WireProgress = { tcp: false, encrypted, tls: false, bytes: 0, messages: 0, tooLarge: false };
  const con = (client as unknown as { connection?: EventEmitter & { stream?: Socket } }).connection;
  if (!con) return () => ({ ...p });
  const count = (stream: Socket | undefined) =>
    stream?.on('data', (d: Buffer) => {
      p.bytes += d.length;
      if (p.bytes > maxBytes && !p.tooLarge) {
        p.tooLarge = true;
        stream.destroy(new BodyTooLargeError(maxBytes));
      }
    });
  con.once('connect', () => {
    p.tcp = true;
    // Without TLS the protocol starts at once; with TLS only the one-byte answer to SSLRequest comes first.
    if (!encrypted) count(con.stream);
  });
  con.once('sslconnect', () => {
    con.stream?.once('secureConnect', () => {
      p.tls = true;
    });
    count(con.stream);
  });
  con.on('message', () => {
    p.messages += 1;
  });
  return () => ({ ...p });
}
