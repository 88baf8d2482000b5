// The agents that carry a request through a proxy (proxy-router.ts decides which request goes where):
// CONNECT tunnels for https:// targets and absolute-form requests for http:// ones, from
// https-proxy-agent and http-proxy-agent, each recording what the proxy answered. A module of its own
// because proxy-router.ts loads it only when a request really goes through a proxy.
import type http from 'node:http';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { silenceDebug } from '../silence-debug.js';
import type { ProxyEvent } from './proxy-router.js';

// Before any agent of this module exists (silence-debug.ts says why).
silenceDebug();

type Record_ = (e: ProxyEvent) => void;

/** CONNECT tunnels (https:// targets), with what the proxy answered recorded. */
export class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly shown: string,
    private readonly record: Record_,
    opts: http.AgentOptions & { signal?: AbortSignal },
  ) {
    super(proxy, opts as never);
  }

  override async connect(req: http.ClientRequest, given: AgentConnectOpts) {
    const target = targetOf(given);
    // The library verifies the target's certificate against the SNI name, which an IP literal cannot
    // be; without this an https://IP target is checked as "localhost". Verify the address itself.
    const host = String(given.host ?? '');
    const opts: AgentConnectOpts =
      given.secureEndpoint && isIP(host) && !given.checkServerIdentity
        ? { ...given, checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) }
        : given;
    req.once('proxyConnect', (c: { statusCode?: number; headers?: http.IncomingHttpHeaders }) => {
      this.record({
        kind: 'connect',
        target,
        proxy: this.shown,
        status: c.statusCode ?? 0,
        ...authenticateOf(c.headers),
      });
    });
    return recordingFailure(this.record, target, this.shown, () => super.connect(req, opts));
  }
}

/** Absolute-form requests (http:// targets) through the proxy. */
export class ForwardAgent extends HttpProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly shown: string,
    private readonly record: Record_,
    opts: http.AgentOptions & { signal?: AbortSignal },
  ) {
    super(proxy, opts as never);
  }

  override async connect(req: Parameters<HttpProxyAgent<string>['connect']>[0], opts: AgentConnectOpts) {
    const target = targetOf(opts);
    req.once('response', (res: http.IncomingMessage) => {
      if (res.statusCode !== 407) return;
      this.record({
        kind: 'forward-auth',
        target,
        proxy: this.shown,
        status: 407,
        ...authenticateOf(res.headers),
      });
    });
    return recordingFailure(this.record, target, this.shown, () => super.connect(req, opts));
  }
}

/** The proxy's Proxy-Authenticate challenge, if it sent one (cut short: it is shown, never parsed). */
function authenticateOf(headers: http.IncomingHttpHeaders | undefined): { authenticate?: string } {
  const authenticate = headers?.['proxy-authenticate'];
  return authenticate ? { authenticate: String(authenticate).slice(0, 100) } : {};
}

/** Runs the library's connect and records a failure to reach the proxy before passing it on. */
async function recordingFailure<T>(
  record: Record_,
  target: string,
  proxy: string,
  connect: () => Promise<T>,
): Promise<T> {
  try {
    return await connect();
  } catch (e) {
    record(proxyError(target, proxy, e));
    throw e;
  }
}

function targetOf(opts: AgentConnectOpts): string {
  const host = String(opts.host ?? '');
  return `${host.includes(':') ? `[${host}]` : host}:${opts.port}`;
}

function proxyError(target: string, proxy: string, e: unknown): ProxyEvent {
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  const errno =
    typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? String(err.name) : 'Error';
  const message = typeof err.message === 'string' ? err.message.split('\n')[0]!.slice(0, 200) : String(e);
  return { kind: 'proxy-error', target, proxy, errno, message };
}
