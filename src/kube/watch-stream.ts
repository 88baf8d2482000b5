import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { KubeError, toKubeError } from './kube-error.js';

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

/** An event holds one object (a pod or a Job: a few KiB); a line far longer is not an event. */
const MAX_EVENT_CHARS = 1024 * 1024;
const MAX_ERROR_BYTES = 64 * 1024;
const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function parseEvent<T>(line: string): WatchEvent<T> | undefined {
  try {
    const e = JSON.parse(line) as { type?: unknown; object?: unknown };
    const ok = typeof e === 'object' && e !== null && EVENT_TYPES.has(e.type as string);
    return ok && typeof e.object === 'object' && e.object !== null ? (e as WatchEvent<T>) : undefined;
  } catch {
    return undefined;
  }
}

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
  const server = cluster.server;
  const req = (https ? httpsRequest : httpRequest)(url, { ...opts, method: 'GET' }, (res) => {
    if (res.statusCode !== 200) {
      // An error answer is a small Status: read that much, then hang up.
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ERROR_BYTES) chunks.push(c);
        size += c.length;
        if (size >= MAX_ERROR_BYTES) res.destroy();
      });
      const answered = () => {
        const body = Buffer.concat(chunks).subarray(0, MAX_ERROR_BYTES).toString('utf8');
        finish(
          toKubeError(new ApiException(res.statusCode ?? 0, 'watch', body, res.headers as never), server),
        );
      };
      res.on('end', answered);
      res.on('close', answered);
      return;
    }
    // One JSON event per line; a line longer than any event is not a watch stream: stop reading it.
    let partial = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (finished) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (finished) return;
        if (line.trim() === '') continue;
        const event = parseEvent<T>(line);
        if (!event) return stopNotKube('a line that is not a watch event');
        onEvent(event);
      }
      if (partial.length > MAX_EVENT_CHARS) stopNotKube(`a line longer than ${MAX_EVENT_CHARS} characters`);
    });
    // A partial line at a broken connection: the poll catches up.
    res.on('end', () => finish());
    res.on('error', (e) => finish(toKubeError(e, server)));
  });
  const stopNotKube = (problem: string) => {
    finish(
      new KubeError(200, undefined, `answered a watch with ${problem}`, { server, notKubernetes: problem }),
    );
    req.destroy();
  };
  req.on('error', (e) => finish(toKubeError(e, server)));
  req.end();
  return () => {
    finished = true;
    req.destroy();
  };
}
