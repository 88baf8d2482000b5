import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError, toKubeError } from './kube-error.js';

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

/**
 * A watch (`?watch=true`, one JSON event per line) that can be stopped at any moment, even before
 * the server has sent headers: client-node's Watch only hands out its AbortController once the
 * response started, which would keep a finished launcher alive until its 30 s timeout.
 */
export async function openWatch<T>(
  config: KubeConfig,
  path: string,
  query: Record<string, string>,
  onEvent: (e: WatchEvent<T>) => void,
  done: (err?: KubeError) => void,
): Promise<() => void> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeError(undefined, undefined, 'no current cluster in the kubeconfig');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  url.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const opts: RequestOptions = {};
  await config.applyToHTTPSOptions(opts);
  const https = url.protocol === 'https:';
  if (!https) delete opts.agent;
  let finished = false;
  const finish = (err?: KubeError) => {
    if (finished) return;
    finished = true;
    done(err);
  };
  const req = (https ? httpsRequest : httpRequest)(url, { ...opts, method: 'GET' }, (res) => {
    if (res.statusCode !== 200) {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        let status: { reason?: string; message?: string } = {};
        try {
          status = JSON.parse(body) as typeof status;
        } catch {
          status = { message: body.slice(0, 300) };
        }
        finish(new KubeError(res.statusCode, status.reason, status.message ?? `HTTP ${res.statusCode}`));
      });
      return;
    }
    const lines = createInterface({ input: res });
    // readline re-emits its input's errors (e.g. "aborted" when we stop the watch).
    lines.on('error', (e) => finish(toKubeError(e)));
    lines.on('line', (line) => {
      if (finished || line.trim() === '') return;
      try {
        onEvent(JSON.parse(line) as WatchEvent<T>);
      } catch {
        // A partial line at a broken connection: the poll catches up.
      }
    });
    res.on('end', () => finish());
    res.on('error', (e) => finish(toKubeError(e)));
  });
  req.on('error', (e) => finish(toKubeError(e)));
  req.end();
  return () => {
    finished = true;
    req.destroy();
  };
}
