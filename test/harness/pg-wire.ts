// PostgreSQL wire protocol v3 framing, only as much as the RDS front door needs.
// Layout per https://www.postgresql.org/docs/current/protocol-message-formats.html
import type { Duplex } from 'node:stream';

export const PROTOCOL_V3 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** A startup-phase packet: no type byte, int32 length, int32 code, payload. */
export interface StartupPacket {
  code: number;
  raw: Buffer;
  /** key/value parameters for a StartupMessage (user, database, application_name, ...). */
  params: Record<string, string>;
}

export interface Message {
  type: string;
  body: Buffer;
  raw: Buffer;
}

/**
 * Buffers bytes from a stream and hands out whole packets. `detach()` gives back whatever was read
 * past the last packet, so a caller can switch to raw piping without losing bytes.
 */
export class FrameReader {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended = new Error('connection closed during startup');
    this.wake();
  };

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
  }

  async readStartup(): Promise<StartupPacket> {
    const raw = await this.take(0);
    const code = raw.readInt32BE(4);
    return { code, raw, params: code === PROTOCOL_V3 ? parseParams(raw.subarray(8)) : {} };
  }

  async readMessage(): Promise<Message> {
    const raw = await this.take(1);
    return { type: String.fromCharCode(raw[0]), body: raw.subarray(5), raw };
  }

  /** Stops listening; returns bytes received but not yet consumed. */
  detach(): Buffer {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.pause();
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async take(typeBytes: 0 | 1): Promise<Buffer> {
    for (;;) {
      if (this.buf.length >= typeBytes + 4) {
        const len = this.buf.readInt32BE(typeBytes);
        if (len < 4 || len > 1 << 20) throw new Error(`invalid packet length ${len}`);
        const total = typeBytes + len;
        if (this.buf.length >= total) {
          const raw = this.buf.subarray(0, total);
          this.buf = this.buf.subarray(total);
          return raw;
        }
      }
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }
}

function parseParams(payload: Buffer): Record<string, string> {
  const parts = payload.toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) params[parts[i]] = parts[i + 1];
  return params;
}

/** The password carried by a PasswordMessage ('p'), without its NUL terminator. */
export function passwordOf(msg: Message): string {
  const end = msg.body.indexOf(0);
  return msg.body.subarray(0, end < 0 ? msg.body.length : end).toString('utf8');
}

export function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export function authenticationCleartextPassword(): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(3, 0);
  return message('R', body);
}

/** Authentication request codes the backend may send ('R' messages). */
export function authCode(msg: Message): number {
  return msg.body.readInt32BE(0);
}

export interface ErrorFields {
  severity: 'FATAL' | 'ERROR';
  code: string;
  message: string;
  file?: string;
  routine?: string;
}

/** ErrorResponse with both the localized (S) and non-localized (V) severity, as PostgreSQL sends. */
export function errorResponse(f: ErrorFields): Buffer {
  const fields: [string, string][] = [
    ['S', f.severity],
    ['V', f.severity],
    ['C', f.code],
    ['M', f.message],
  ];
  if (f.file) fields.push(['F', f.file]);
  if (f.routine) fields.push(['R', f.routine]);
  const parts = fields.map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8'));
  return message('E', Buffer.concat([...parts, Buffer.from([0])]));
}

/** Parses the fields of an ErrorResponse/NoticeResponse body into a map keyed by field letter. */
export function parseErrorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.toString('utf8').split('\0')) {
    if (part.length > 0) out[part[0]] = part.slice(1);
  }
  return out;
}
