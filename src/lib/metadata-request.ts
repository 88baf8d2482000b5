import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type MetadataResponse =
  | { kind: 'response'; status: number; body: string; ms: number }
  | { kind: 'timeout'; phase: 'connect' | 'response'; ms: number }
  | { kind: 'error'; errno: string; detail: string; ms: number };

/**
 * One bounded HTTP request to a link-local metadata endpoint (IMDS, the Pod Identity agent). The
 * socket is destroyed at the deadline so a silent endpoint cannot keep the process alive. Bodies are
 * capped at 4 KiB; callers never ask for credential documents.
 */
export function metadataRequest(
  url: string,
  opts: { method?: 'GET' | 'PUT'; headers?: Record<string, string>; timeoutMs: number },
): Promise<MetadataResponse> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((done) => {
    let connected = false;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
        method: opts.method ?? 'GET',
        headers: opts.headers,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      done({ kind: 'error', errno: err.code ?? 'ERR_INVALID_URL', detail: err.message, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      done({ kind: 'timeout', phase: connected ? 'response' : 'connect', ms: ms() });
      req.destroy();
    }, opts.timeoutMs);
    req.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ kind: 'error', errno: e.code ?? e.name, detail: e.message, ms: ms() });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 4096) body += d.slice(0, 4096 - body.length);
      });
      res.on('end', () => {
        clearTimeout(timer);
        done({ kind: 'response', status: res.statusCode ?? 0, body, ms: ms() });
        req.destroy();
      });
      res.on('error', () => {});
    });
    req.end();
  });
}
