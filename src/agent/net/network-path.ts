// The way one of the agent's requests goes (through the proxy or direct, as the AWS CLI would send it),
// the router that carries it, and, when it goes through a proxy, a direct probe of the same host and port
// run beside it: a target that answers only one way breaks the applications that take the other.

import type { ProxyRoute } from '../../lib/proxy/proxy-route.js';
import { type ProxyFailure, ProxyRouter } from '../../lib/proxy/proxy-router.js';
import type { AgentContext } from '../context.js';
import type { NetFailure } from './classify-net-error.js';
import { probeEndpoint } from './probe-endpoint.js';
import { probeFailure } from './probe-failure.js';

/** A direct DNS+TCP(+TLS) probe is cheap; a blackholed direct path costs at most this, beside the request. */
const DIRECT_PROBE_MS = 2000;

export type DirectProbe = { ok: true } | { ok: false; failure: NetFailure };

/** What is known about a request's path once it finished. */
export interface PathOutcome {
  route: ProxyRoute;
  /** The request failed at the proxy (down, 407, refused CONNECT), not at the target. */
  proxyFailure?: ProxyFailure;
  /** The direct probe of the same host and port, run when the request went through a proxy. */
  direct?: DirectProbe;
}

export interface NetworkPath {
  readonly route: ProxyRoute;
  /** Agents for the request (SDK handler, node:http, the OpenSearch client); one per client. */
  readonly router: ProxyRouter;
  /** Waits for the direct probe and reads what happened at the proxy; then frees the router. */
  settle(): Promise<PathOutcome>;
}

/**
 * Opens the path for requests to `url` within one step. `probeDirect: false` for calls whose direct
 * reachability another check already judges (GetCallerIdentity after AssumeRoleWithWebIdentity).
 */
export function openNetworkPath(
  ctx: AgentContext,
  url: string,
  stepMs: number,
  opts: { probeDirect?: boolean } = {},
): NetworkPath {
  const signal = AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(Math.max(1, Math.round(stepMs)))]);
  const router = new ProxyRouter(ctx.env, signal);
  let route: ProxyRoute;
  try {
    route = router.routeOf(url);
  } catch {
    // Not a URL: the caller reports the setting; nothing is sent anyway.
    route = { via: 'direct', reason: 'unset', target: url };
  }
  const direct =
    route.via === 'proxy' && opts.probeDirect !== false ? probeDirect(url, stepMs, signal) : undefined;
  return {
    route,
    router,
    async settle() {
      const probe = await direct;
      const proxyFailure = router.failure();
      router.destroy();
      return { route, ...(proxyFailure ? { proxyFailure } : {}), ...(probe ? { direct: probe } : {}) };
    },
  };
}

async function probeDirect(url: string, stepMs: number, signal: AbortSignal): Promise<DirectProbe> {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  const probe = await probeEndpoint({
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (https ? 443 : 80)),
    ...(https ? { tls: {} } : {}),
    deadlineMs: Math.max(1, Math.min(DIRECT_PROBE_MS, stepMs)),
    signal,
  });
  // Reaching the host is what counts here, not whether its certificate verifies.
  const failure = probeFailure(probe, https, { judgeCertificate: false });
  return failure ? { ok: false, failure } : { ok: true };
}
