// HTTP agents that send each request the way proxy-route.ts decides: through the proxy (a CONNECT tunnel
// for https://, an absolute-form request for http://, as curl and the AWS CLI do) or direct. One router
// per client or step: an SDK client destroys its agents when it is destroyed, and the router's trace
// then tells that client's caller what happened at the proxy.
//
// https-proxy-agent and http-proxy-agent (TooTallNate/proxy-agents, the agents most Node HTTP clients use)
// speak to the proxy; the routing on top is ours because the rules are (see proxy-route.ts): the
// `proxy-agent` package of the same project routes with proxy-from-env, which matches `example.com` in
// NO_PROXY only exactly (curl and the AWS CLI match its subdomains too), reads npm_config_* and ALL_PROXY,
// and pulls in PAC and SOCKS support this tool does not need in a small image.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import createDebug from 'debug';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { registerSecret } from '../redact.js';
import { type ProxyRoute, proxyRoute, shownProxy } from './proxy-route.js';

// The proxy agents log through `debug`: with DEBUG set in the pod they would print the proxy URL with
// its password and whole request bodies (the web identity token) to stderr, past the tool's redaction.
// DEBUG is read when the module loads; this turns every namespace off again, for good.
createDebug.disable();

/** What happened at the proxy for one request that went through it. */
export type ProxyEvent =
  /** The proxy answered the CONNECT (200 opens the tunnel; anything else is the proxy's refusal). */
  | { kind: 'connect'; target: string; proxy: string; status: number; authenticate?: string }
  /** The proxy itself could not be reached or dropped the connection before answering. */
  | { kind: 'proxy-error'; target: string; proxy: string; errno: string; message: string }
  /** An absolute-form request through the proxy got 407: only a proxy answers that. */
  | { kind: 'forward-auth'; target: string; proxy: string; status: 407; authenticate?: string };

/** The part of a request that failed at the proxy rather than at the target, if any. */
export type ProxyFailure =
  | { kind: 'unreachable'; proxy: string; target: string; errno: string; message: string }
  | { kind: 'auth'; proxy: string; target: string; status: 407; authenticate?: string }
  | { kind: 'refused'; proxy: string; target: string; status: number };

type Env = Readonly<Record<string, string | undefined>>;

export class ProxyRouter {
  /** Events at the proxy, oldest first; bounded, so a client retrying for ever costs nothing. */
  readonly events: ProxyEvent[] = [];
  /** For node:http's `http.request` and the SDK's `httpAgent`. */
  readonly httpAgent: http.Agent;
  /** For node:https's `https.request` and the SDK's `httpsAgent`. */
  readonly httpsAgent: http.Agent;
  private readonly proxies = new Map<string, Agent>();
  private readonly direct: { http: http.Agent; https: https.Agent };

  /**
   * `signal` destroys every socket the router opened to a proxy when it fires (the step's deadline):
   * a proxy that never accepts the connection cannot keep the process alive.
   */
  constructor(
    private readonly env: Env,
    private readonly signal?: AbortSignal,
  ) {
    this.httpAgent = new RoutedAgent(this, false);
    this.httpsAgent = new RoutedAgent(this, true);
    this.direct = {
      http: new http.Agent({ keepAlive: false }),
      https: new https.Agent({ keepAlive: false }),
    };
  }

  /** The route a request to `url` takes through this router. */
  routeOf(url: string | URL): ProxyRoute {
    return proxyRoute(this.env, url);
  }

  /** The agent for one node:http(s) request to `url`. */
  agentFor(url: string | URL): http.Agent {
    const u = typeof url === 'string' ? new URL(url) : url;
    return u.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  /** The last failure at the proxy (not at the target), if any request through it failed there. */
  failure(): ProxyFailure | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.kind === 'proxy-error')
        return { kind: 'unreachable', proxy: e.proxy, target: e.target, errno: e.errno, message: e.message };
      if (e.kind === 'forward-auth' || (e.kind === 'connect' && e.status === 407))
        return {
          kind: 'auth',
          proxy: e.proxy,
          target: e.target,
          status: 407,
          ...(e.authenticate ? { authenticate: e.authenticate } : {}),
        };
      if (e.kind === 'connect' && (e.status < 200 || e.status > 299))
        return { kind: 'refused', proxy: e.proxy, target: e.target, status: e.status };
      if (e.kind === 'connect') return undefined;
    }
    return undefined;
  }

  /** Frees every socket; the router must not be used afterwards. */
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.direct.http.destroy();
    this.direct.https.destroy();
    for (const a of this.proxies.values()) a.destroy();
  }

  /** @internal The agent that carries one request, chosen by its host, port and scheme. */
  pick(host: string, port: number, secure: boolean): http.Agent {
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const route = this.routeOf(`${secure ? 'https' : 'http'}://${hostPart}:${port}`);
    if (route.via === 'invalid')
      throw Object.assign(new Error(`${route.variable} ${route.problem}`), { code: 'ERR_PROXY_INVALID' });
    if (route.via === 'direct') return secure ? this.direct.https : this.direct.http;
    const key = `${secure ? 'tunnel' : 'forward'} ${route.proxy.href}`;
    let agent = this.proxies.get(key);
    if (!agent) {
      // The password never appears in output, whatever prints it (an error, a debug log).
      registerSecret(safeDecode(route.proxy.password));
      registerSecret(route.proxy.password);
      const record = (e: ProxyEvent) => {
        if (this.events.length < 64) this.events.push(e);
      };
      const shown = shownProxy(route.proxy);
      const opts = { keepAlive: false, ...(this.signal ? { signal: this.signal } : {}) };
      agent = secure
        ? new TunnelAgent(route.proxy, shown, record, opts)
        : new ForwardAgent(route.proxy, shown, record, opts);
      this.proxies.set(key, agent);
    }
    return agent;
  }
}

/** The agent handed to clients: it delegates each request to the direct or the proxy agent. */
class RoutedAgent extends Agent {
  constructor(
    private readonly router: ProxyRouter,
    private readonly secure: boolean,
  ) {
    super({ keepAlive: false });
  }

  // The SDK's handler passes no `protocol`; which slot the agent sits in says it.
  override isSecureEndpoint(): boolean {
    return this.secure;
  }

  override connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    return this.router.pick(String(opts.host ?? 'localhost'), Number(opts.port), this.secure);
  }
}

type Record_ = (e: ProxyEvent) => void;

/** CONNECT tunnels (https:// targets), with what the proxy answered recorded. */
class TunnelAgent extends HttpsProxyAgent<string> {
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
      const authenticate = c.headers?.['proxy-authenticate'];
      this.record({
        kind: 'connect',
        target,
        proxy: this.shown,
        status: c.statusCode ?? 0,
        ...(authenticate ? { authenticate: String(authenticate).slice(0, 100) } : {}),
      });
    });
    try {
      return await super.connect(req, opts);
    } catch (e) {
      this.record(proxyError(target, this.shown, e));
      throw e;
    }
  }
}

/** Absolute-form requests (http:// targets) through the proxy. */
class ForwardAgent extends HttpProxyAgent<string> {
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
      const authenticate = res.headers['proxy-authenticate'];
      this.record({
        kind: 'forward-auth',
        target,
        proxy: this.shown,
        status: 407,
        ...(authenticate ? { authenticate: String(authenticate).slice(0, 100) } : {}),
      });
    });
    try {
      return await super.connect(req, opts);
    } catch (e) {
      this.record(proxyError(target, this.shown, e));
      throw e;
    }
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

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
