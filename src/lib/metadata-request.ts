import { type Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { loopStallMeter } from './loop-stall.js';

/** Bodies are kept up to this; callers never ask for credential documents. */
export const MAX_METADATA_BODY_BYTES = 4096;

export type MetadataResponse = (
  | {
      kind: 'response';
      status: number;
      body: string;
      /** The peer sent more than MAX_METADATA_BODY_BYTES: the rest was not read, the socket closed. */
      truncated: boolean;
    }
  | {
      kind: 'timeout';
      phase: 'connect' | 'response';
      /** How late the timeout itself fired: a timer that runs late ran after a stall, maybe over an unread answer. */
      lateMs: number;
    }
  | { kind: 'error'; errno: string; detail: string }
) & {
  ms: number;
  /** How long the process itself was starved during the wait (loop-stall.ts): a timeout under a stall proves nothing. */
  stalledMs: number;
};

/**
 * One bounded HTTP request to a link-local metadata endpoint (IMDS, the Pod Identity agent). The
 * socket is destroyed at the deadline so a silent endpoint cannot keep the process alive, and as soon
 * as the body passes MAX_METADATA_BODY_BYTES, so a peer that streams forever costs nothing.
 */
export function metadataRequest(
  url: string,
  opts: {
    method?: 'GET' | 'PUT';
    headers?: Record<string, string>;
    timeoutMs: number;
    /** Sends the request through a proxy (src/lib/proxy/); IMDS never passes one. */
    agent?: Agent;
  },
): Promise<MetadataResponse> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const stall = loopStallMeter();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: DistributiveOmit<MetadataResponse, 'ms' | 'stalledMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, ms: ms(), stalledMs: stall.stop() } as MetadataResponse);
    };
    let connected = false;
    let req: ReturnType<typeof httpRequest>;
    const timer = setTimeout(() => {
      const lateMs = Math.max(0, Math.round(performance.now() - t0 - opts.timeoutMs));
      done({ kind: 'timeout', phase: connected ? 'response' : 'connect', lateMs });
      req?.destroy();
    }, opts.timeoutMs);
    try {
      req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ...(opts.agent ? { agent: opts.agent } : {}),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      done({ kind: 'error', errno: err.code ?? 'ERR_INVALID_URL', detail: err.message });
      return;
    }
    req.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      done({ kind: 'error', errno: e.code ?? e.name, detail: e.message });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const status = res.statusCode ?? 0;
      const finish = (truncated: boolean) => {
        const body = Buffer.concat(chunks).subarray(0, MAX_METADATA_BODY_BYTES).toString('utf8');
        done({ kind: 'response', status, body, truncated });
        req.destroy();
      };
      res.on('data', (d: Buffer) => {
        chunks.push(d);
        size += d.length;
        if (size > MAX_METADATA_BODY_BYTES) finish(true);
      });
      res.on('end', () => finish(false));
      // A body cut off mid-way is still the answer that was given, up to where it stopped.
      res.on('error', () => finish(size > MAX_METADATA_BODY_BYTES));
      res.on('aborted', () => finish(size > MAX_METADATA_BODY_BYTES));
    });
    req.end();
  });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
