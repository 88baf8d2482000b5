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
import { Agent, type AgentConnectOpts } from 'agent-base';
import { registerSecret } from '../redact.js';
import { type ProxyRoute, proxyRoute, shownProxy } from './proxy-route.js';

/**
 * The agents that speak to a proxy (proxy-agents.ts), loaded on the first request that goes through
 * one: they bring https-proxy-agent, http-proxy-agent, `debug` and node:assert/node:tty, which a pod
 * without proxy variables (most of them) would otherwise load at every start for nothing.
 */
let proxyAgents: Promise<typeof import('./proxy-agents.js')> | undefined;
const loadProxyAgents = () => {
  proxyAgents ??= import('./proxy-agents.js');
  return proxyAgents;
};

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

  private destroyed = false;

  /** Frees every socket; the router must not be used afterwards. */
  destroy(): void {
    this.destroyed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.direct.http.destroy();
    this.direct.https.destroy();
    for (const a of this.proxies.values()) a.destroy();
  }

  /**
   * @internal The agent that carries one request, chosen by its host, port and scheme: at once for a
   * direct request, once the proxy agents have loaded for one through a proxy. Throws (synchronously)
   * for a proxy setting that cannot be used.
   */
  pick(host: string, port: number, secure: boolean): http.Agent | Promise<http.Agent> {
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const route = this.routeOf(`${secure ? 'https' : 'http'}://${hostPart}:${port}`);
    if (route.via === 'invalid')
      throw Object.assign(new Error(`${route.variable} ${route.problem}`), { code: 'ERR_PROXY_INVALID' });
    if (route.via === 'direct') return secure ? this.direct.https : this.direct.http;
    const proxy = route.proxy;
    return loadProxyAgents().then(({ TunnelAgent, ForwardAgent }) => {
      // destroy() may have come while the module loaded: an agent made now would never be destroyed.
      if (this.destroyed)
        throw Object.assign(new Error('request after the router was closed'), { code: 'ECANCELED' });
      return this.proxyAgent(proxy, secure, TunnelAgent, ForwardAgent);
    });
  }

  private proxyAgent(
    proxy: URL,
    secure: boolean,
    Tunnel: typeof import('./proxy-agents.js').TunnelAgent,
    Forward: typeof import('./proxy-agents.js').ForwardAgent,
  ): Agent {
    const key = `${secure ? 'tunnel' : 'forward'} ${proxy.href}`;
    let agent = this.proxies.get(key);
    if (!agent) {
      // The password never appears in output, whatever prints it (an error, a debug log).
      registerSecret(safeDecode(proxy.password));
      registerSecret(proxy.password);
      const record = (e: ProxyEvent) => {
        if (this.events.length < 64) this.events.push(e);
      };
      const shown = shownProxy(proxy);
      const opts = { keepAlive: false, ...(this.signal ? { signal: this.signal } : {}) };
      agent = secure ? new Tunnel(proxy, shown, record, opts) : new Forward(proxy, shown, record, opts);
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

  override connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent | Promise<http.Agent> {
    return this.router.pick(String(opts.host ?? 'localhost'), Number(opts.port), this.secure);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
