// Which way a request to a URL goes, read from HTTPS_PROXY / HTTP_PROXY / NO_PROXY the way the AWS CLI
// (botocore over Python's urllib) reads them, so the tool's own requests take the path the platform's
// tools take. Pure: the environment is passed in, nothing is read from process.env.
//
// The rules, and where they come from:
// - An https:// URL uses https_proxy / HTTPS_PROXY only, an http:// URL http_proxy / HTTP_PROXY only; no
//   fallback from one to the other and no ALL_PROXY (botocore looks the proxy up by the URL's scheme).
// - The lower-case variable wins when it is set; set to "" it turns the proxy off even when the upper-case
//   one is set (urllib's second pass over the environment). Upper case is read only when lower case is unset.
// - A value without a scheme (`proxy:3128`) is an http:// proxy (urllib, urllib3, curl); only http:// and
//   https:// proxies are supported.
// - NO_PROXY / no_proxy (same precedence): `*` alone matches every host; otherwise a comma- (or space-)
//   separated list in which each entry matches the host itself and every name under it, with or without
//   a leading dot (`amazonaws.com` and `.amazonaws.com` both match sts.eu-west-1.amazonaws.com); an entry
//   with `:PORT` matches that port only; IP literals match exactly, with or without IPv6 brackets; a CIDR
//   range (`10.0.0.0/8`) matches IP-literal hosts in it, as curl (7.86+) and Go do (the AWS CLI ignores
//   CIDR entries). A `*.example.com` entry matches nothing, as in curl and the AWS CLI (only Go and
//   some Node libraries read it as `.example.com`): it is reported as not understood.
// - Never proxied, whatever the variables say: node-local link-local addresses (169.254.0.0/16, fe80::/10)
//   and AWS's node-local IPv6 range fd00:ec2::/32 (IMDS 169.254.169.254 / [fd00:ec2::254], the EKS Pod
//   Identity agent 169.254.170.23 / [fd00:ec2::23]): a proxy reaches its own node's metadata, never the
//   pod's, and would hand out the proxy host's credentials. Loopback is proxied unless NO_PROXY lists it
//   (as curl and the AWS CLI do).
import { BlockList, isIP } from 'node:net';

export type ProxyVariable = 'https_proxy' | 'HTTPS_PROXY' | 'http_proxy' | 'HTTP_PROXY';
export type NoProxyVariable = 'no_proxy' | 'NO_PROXY';

/** Why a request goes direct although the tool honours proxies. */
export type DirectReason =
  /** no proxy variable for the URL's scheme */
  | 'unset'
  /** NO_PROXY lists the host */
  | 'no-proxy'
  /** a link-local or fd00:ec2:: address: a proxy cannot reach the pod's node-local services */
  | 'node-local'
  /** instance metadata (IMDS) is always asked directly, whatever its address */
  | 'metadata'
  /** not HTTP (PostgreSQL): HTTP proxy variables do not apply */
  | 'not-http';

export type ProxyRoute =
  | { via: 'proxy'; proxy: URL; variable: ProxyVariable; target: string }
  | {
      via: 'direct';
      reason: DirectReason;
      target: string;
      /** The proxy that would have applied, when one is set but was not used. */
      bypassed?: { proxy: URL; variable: ProxyVariable };
      /** For `no-proxy`: the variable and the entry that matched. */
      noProxy?: { variable: NoProxyVariable; entry: string };
    }
  /** The proxy variable is set but is not a usable proxy URL: no request can honour it. */
  | { via: 'invalid'; variable: ProxyVariable; problem: string; target: string };

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy variable in force for a scheme, with the AWS CLI's precedence (see the file comment). */
export function proxyVariable(
  env: Env,
  scheme: 'http' | 'https',
): { variable: ProxyVariable; value: string } | undefined {
  const lower = `${scheme}_proxy` as const;
  const upper = lower.toUpperCase() as 'HTTP_PROXY' | 'HTTPS_PROXY';
  return pick(env, lower, upper);
}

/** NO_PROXY in force (no_proxy first, as for the proxy variables). */
export function noProxyVariable(env: Env): { variable: NoProxyVariable; value: string } | undefined {
  return pick(env, 'no_proxy', 'NO_PROXY');
}

function pick<L extends string, U extends string>(
  env: Env,
  lower: L,
  upper: U,
): { variable: L | U; value: string } | undefined {
  const l = env[lower];
  if (l !== undefined) return l.trim() === '' ? undefined : { variable: lower, value: l.trim() };
  const u = env[upper]?.trim();
  return u ? { variable: upper, value: u } : undefined;
}

/**
 * A proxy setting as a URL, or why it is none. The reason names the kind of value, never the value:
 * it may carry a password.
 */
export function parseProxyUrl(value: string): { ok: true; url: URL } | { ok: false; problem: string } {
  const v = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: 'is not a URL (expected http://HOST:PORT)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      ok: false,
      problem: `is a ${url.protocol} URL; only http:// and https:// proxies are supported (as by the AWS CLI)`,
    };
  if (url.hostname === '') return { ok: false, problem: 'has no host name' };
  return { ok: true, url };
}

/** The route a request to `url` takes. */
export function proxyRoute(env: Env, url: string | URL): ProxyRoute {
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = Number(u.port || (scheme === 'https' ? 443 : 80));
  const host = bare(u.hostname);
  const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const setting = proxyVariable(env, scheme);
  const parsed = setting ? parseProxyUrl(setting.value) : undefined;
  const bypassed = setting && parsed?.ok ? { proxy: parsed.url, variable: setting.variable } : undefined;
  if (isNodeLocal(host))
    return { via: 'direct', reason: 'node-local', target, ...(bypassed ? { bypassed } : {}) };
  if (!setting || !parsed) return { via: 'direct', reason: 'unset', target };
  const no = noProxyVariable(env);
  const entry = no ? noProxyMatch(no.value, host, port) : undefined;
  if (no && entry !== undefined)
    return {
      via: 'direct',
      reason: 'no-proxy',
      target,
      ...(bypassed ? { bypassed } : {}),
      noProxy: { variable: no.variable, entry },
    };
  if (!parsed.ok) return { via: 'invalid', variable: setting.variable, problem: parsed.problem, target };
  return { via: 'proxy', proxy: parsed.url, variable: setting.variable, target };
}

/** A route that never consults the variables (IMDS, PostgreSQL), for the same details everywhere. */
export function directRoute(env: Env, reason: 'metadata' | 'not-http', target: string): ProxyRoute {
  const setting = proxyVariable(env, 'https') ?? proxyVariable(env, 'http');
  const parsed = setting ? parseProxyUrl(setting.value) : undefined;
  return {
    via: 'direct',
    reason,
    target,
    ...(setting && parsed?.ok ? { bypassed: { proxy: parsed.url, variable: setting.variable } } : {}),
  };
}

/**
 * The NO_PROXY entry that matches the host (and port), or undefined. `*` alone matches everything.
 * Exported for the unit tests and for NO_PROXY suggestions.
 */
export function noProxyMatch(noProxy: string, host: string, port: number): string | undefined {
  const value = noProxy.trim();
  if (value === '*') return '*';
  const h = bare(host).toLowerCase().replace(/\.$/, '');
  const hostIp = isIP(h);
  for (const raw of value.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '' || entry.startsWith('*')) continue;
    const { name, entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (name.includes('/')) {
      if (hostIp && inCidr(h, name)) return raw.trim();
      continue;
    }
    const n = bare(name).replace(/^\.+/, '').replace(/\.$/, '');
    if (n === '') continue;
    if (isIP(n)) {
      if (hostIp && sameAddress(n, h)) return raw.trim();
      continue;
    }
    if (h === n || h.endsWith(`.${n}`)) return raw.trim();
  }
  return undefined;
}

/** NO_PROXY entries this tool (like curl and the AWS CLI) does not understand, e.g. `*.example.com`. */
export function unusedNoProxyEntries(noProxy: string): string[] {
  if (noProxy.trim() === '*') return [];
  return noProxy
    .split(/[,\s]+/)
    .map((e) => e.trim())
    .filter((e) => e.startsWith('*'));
}

function splitEntry(entry: string): { name: string; entryPort?: number } {
  // `[::1]:8080`, `host:8080`; a bare IPv6 literal has several colons and no port.
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort) return { name: hostPort[1]!, entryPort: Number(hostPort[2]) };
  return { name: entry };
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function sameAddress(a: string, b: string): boolean {
  const fa = isIP(a);
  if (fa !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, fa === 6 ? 'ipv6' : 'ipv4');
  return list.check(b, fa === 6 ? 'ipv6' : 'ipv4');
}

function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const family = isIP(bare(net ?? ''));
  const prefix = Number(bits);
  if (!family || family !== isIP(address) || !Number.isInteger(prefix)) return false;
  if (prefix < 0 || prefix > (family === 6 ? 128 : 32)) return false;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(bare(net!), prefix, type);
  return list.check(address, type);
}

const NODE_LOCAL = (() => {
  const list = new BlockList();
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('fe80::', 10, 'ipv6');
  list.addSubnet('fd00:ec2::', 32, 'ipv6');
  // 169.254.0.0/16 written as IPv4-mapped IPv6 ([::ffff:169.254.169.254], which URL turns into hex).
  list.addSubnet('::ffff:a9fe:0', 112, 'ipv6');
  return list;
})();

/** Link-local and AWS's node-local IPv6 range: only the pod's own node answers there. */
export function isNodeLocal(host: string): boolean {
  const h = bare(host);
  const family = isIP(h);
  if (family === 4) return NODE_LOCAL.check(h, 'ipv4');
  if (family === 6) return NODE_LOCAL.check(h, 'ipv6');
  return false;
}

/** The proxy as it may be shown: scheme, user name, host and port, never the password. */
export function shownProxy(proxy: URL): string {
  const user = proxy.username ? `${proxy.username}@` : '';
  return `${proxy.protocol}//${user}${proxy.host}`;
}
