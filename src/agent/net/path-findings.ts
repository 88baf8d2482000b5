// What the path of a request says in a report: `details.proxy` on every network finding, a few words in
// the message where the path matters, and the PROXY-* findings when the proxy (not the target) failed or
// when the target answers only one way.
import { type ProxyRoute, shownProxy } from '../../lib/proxy/proxy-route.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { PathOutcome } from './network-path.js';

/** The path as report details: which way, and why; the proxy without its password. */
export function pathDetails(route: ProxyRoute): Record<string, unknown> {
  if (route.via === 'proxy')
    return { via: 'proxy', proxy: shownProxy(route.proxy), variable: route.variable, target: route.target };
  if (route.via === 'invalid')
    return { via: 'invalid', variable: route.variable, problem: route.problem, target: route.target };
  return {
    via: 'direct',
    reason: route.reason,
    target: route.target,
    ...(route.bypassed
      ? { bypassedProxy: shownProxy(route.bypassed.proxy), variable: route.bypassed.variable }
      : {}),
    ...(route.noProxy ? { noProxyVariable: route.noProxy.variable, noProxyEntry: route.noProxy.entry } : {}),
  };
}

const DIRECT_WHY: Record<Extract<ProxyRoute, { via: 'direct' }>['reason'], string> = {
  unset: 'no proxy variable for this scheme',
  'no-proxy': 'NO_PROXY lists it',
  'node-local': 'a link-local address is never proxied',
  metadata: 'instance metadata is never proxied',
  'not-http': 'PostgreSQL does not use HTTP proxies',
};

/**
 * A few words for a message: " through the proxy http://proxy:3128 (HTTPS_PROXY)", or, when a proxy is
 * set but this request did not use it, " directly (NO_PROXY lists .svc)". Empty when no proxy is set.
 */
export function pathNote(route: ProxyRoute): string {
  if (route.via === 'proxy') return ` through the proxy ${shownProxy(route.proxy)} (${route.variable})`;
  if (route.via === 'invalid') return '';
  if (!route.bypassed) return '';
  const why =
    route.reason === 'no-proxy' && route.noProxy
      ? `${route.noProxy.variable} lists ${route.noProxy.entry}`
      : DIRECT_WHY[route.reason];
  return ` directly, not through ${route.bypassed.variable} (${why})`;
}

/** Adds `details.proxy` to each finding that has none. */
export function withPath(findings: Finding[], route: ProxyRoute): Finding[] {
  const proxy = pathDetails(route);
  return findings.map((f) =>
    f.details && 'proxy' in f.details ? f : { ...f, details: { ...(f.details ?? {}), proxy } },
  );
}

export interface PathJudgement {
  /** What the request was for, e.g. "STS at https://sts.eu-west-1.amazonaws.com". */
  label: string;
  /** Whether the target itself answered (an STS error is an answer; a proxy page or a timeout is not). */
  reached: boolean;
  /** fail where the check's own unreachable finding fails; warn for the OIDC issuer. */
  severity: 'fail' | 'warn';
}

/**
 * The PROXY-* findings of one request: `replace` stands in for the check's own "unreachable" finding
 * when the proxy (not the target) failed; `extra` says when the target answers only one way.
 */
export function proxyFindings(
  outcome: PathOutcome,
  j: PathJudgement,
): { replace?: Finding; extra: Finding[] } {
  const route = outcome.route;
  const proxy = pathDetails(route);
  const [host, port] = hostPort(route.target);
  const extra: Finding[] = [];
  const direct = outcome.direct;
  // What answered a request the proxy refused (its 403 page, its 407) was the proxy, not the target.
  const reached = j.reached && !outcome.proxyFailure;
  if (route.via !== 'proxy') return { extra };
  const shown = shownProxy(route.proxy);
  const base = {
    variable: route.variable,
    proxy: shown,
    proxyHost: route.proxy.hostname,
    proxyPort: route.proxy.port || (route.proxy.protocol === 'https:' ? '443' : '80'),
    host,
    port,
  };
  const details = {
    proxy,
    ...(direct
      ? { direct: direct.ok ? 'ok' : { errno: direct.failure.errno, phase: direct.failure.phase } }
      : {}),
  };
  if (direct?.ok && !reached)
    extra.push(
      finding(
        'PROXY-DIRECT-ONLY',
        `${j.label} accepts direct connections, but not through the proxy ${shown} (${route.variable}): applications that honour ${route.variable} (the AWS CLI, boto3, the Go SDK, this tool) fail, those that ignore it (the JVM, the AWS SDK for Java) get through.`,
        { fix: { ...base, noProxyEntry: host }, details },
      ),
    );
  if (direct && !direct.ok && reached)
    extra.push(
      finding(
        'PROXY-ONLY',
        `${j.label} answered through the proxy ${shown} (${route.variable}), but not directly: ${direct.failure.reason} (${direct.failure.errno}). Applications that ignore ${route.variable} (the JVM, the AWS SDK for Java) cannot reach it.`,
        { fix: base, details },
      ),
    );
  const f = outcome.proxyFailure;
  if (!f) return { extra };
  const failureDetails = { ...details, proxyFailure: f };
  if (f.kind === 'unreachable')
    return {
      replace: finding(
        'PROXY-UNREACHABLE',
        `The proxy ${shown} (${route.variable}) could not be used for ${j.label}: ${f.message || f.errno} (${f.errno}). The request never got past the proxy, so ${host} was not reached.`,
        { status: j.severity, fix: base, details: failureDetails },
      ),
      extra,
    };
  if (f.kind === 'auth') {
    const scheme = (f.authenticate ?? '').split(/\s/)[0] ?? '';
    const user = route.proxy.username ? decodeSafe(route.proxy.username) : undefined;
    const variant =
      scheme && !/^basic$/i.test(scheme) ? 'scheme' : user === undefined ? 'missing' : 'refused';
    const said =
      variant === 'missing'
        ? `${route.variable} carries no credentials`
        : variant === 'scheme'
          ? `it asks for ${scheme} authentication`
          : `it refused the credentials of user ${user}`;
    return {
      replace: finding(
        'PROXY-AUTH',
        `The proxy ${shown} (${route.variable}) answered 407 Proxy Authentication Required for ${j.label}: ${said}.`,
        {
          status: j.severity,
          variant: [variant, 'jvm'],
          fix: { ...base, ...(user ? { user } : {}), scheme: scheme || 'another' },
          details: failureDetails,
        },
      ),
      extra,
    };
  }
  const denied = f.status === 403 || f.status === 401 || f.status === 405;
  return {
    replace: finding(
      'PROXY-REFUSED',
      `The proxy ${shown} (${route.variable}) refused to connect to ${f.target} for ${j.label}: HTTP ${f.status}${denied ? ' (its policy does not admit that host)' : ' (the proxy could not reach that host itself)'}.`,
      {
        status: j.severity,
        variant: denied ? 'denied' : 'upstream',
        fix: { ...base, status: String(f.status) },
        details: failureDetails,
      },
    ),
    extra,
  };
}

/** PROXY-INVALID: the proxy variable cannot be honoured, so the request was not made. */
export function proxyInvalidFinding(
  route: Extract<ProxyRoute, { via: 'invalid' }>,
  label: string,
  severity: 'fail' | 'warn',
): Finding {
  return finding(
    'PROXY-INVALID',
    `${route.variable} ${route.problem}, so ${label} was not contacted (a client that honours ${route.variable} cannot use it).`,
    {
      status: severity,
      fix: { variable: route.variable, problem: route.problem },
      details: { proxy: pathDetails(route) },
    },
  );
}

function hostPort(target: string): [string, string] {
  const i = target.lastIndexOf(':');
  return [target.slice(0, i).replace(/^\[|\]$/g, ''), target.slice(i + 1)];
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
