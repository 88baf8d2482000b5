/** `es` for a managed domain, `aoss` for an OpenSearch Serverless collection (the SigV4 service name). */
export type OpenSearchService = 'es' | 'aoss';

/** One OpenSearch endpoint to test, with what its host name says about it. */
export interface OpenSearchTarget {
  /** Origin only (scheme, host, port); the check adds its own paths. */
  url: string;
  host: string;
  port: number;
  /** The SigV4 service the check signs for: the flag, else the host name, else `es`. */
  service: OpenSearchService;
  serviceSource: 'flag' | 'host' | 'default';
  /** The service the host name implies, when it is an AWS endpoint. */
  hostService?: OpenSearchService;
  /** The region the check signs for: the host name, else the agent's region. */
  region?: string;
  regionSource?: 'host' | 'context';
  /** The region the host name implies, when it is an AWS endpoint. */
  hostRegion?: string;
  /** Managed domains: the domain name recovered from `search-NAME-HASH` / `vpc-NAME-HASH`. */
  domainName?: string;
  /** Serverless: the collection id (the first host label). */
  collectionId?: string;
}

export type ParsedTarget = { ok: true; target: OpenSearchTarget } | { ok: false; reason: string };

// search-camunda-abc123.eu-west-1.es.amazonaws.com, vpc-...; the dual-stack form is
// search-camunda-abc123.aos.eu-west-1.on.aws; China adds .cn.
const ES_HOST =
  /^(?:search|vpc)-([a-z0-9-]+)\.(?:([a-z0-9-]+)\.es\.amazonaws\.com(?:\.cn)?|aos\.([a-z0-9-]+)\.on\.aws)$/;
const AOSS_HOST = /^([a-z0-9]+)\.([a-z0-9-]+)\.aoss\.amazonaws\.com(?:\.cn)?$/;
// Domain endpoints end in a 26-character lower-case id; domain names are 3-28 chars.
const DOMAIN_ID = /^(.+)-[a-z0-9]{26}$/;

/** What an endpoint's host name says: the service, region, domain name or collection id. */
export function describeOpenSearchHost(host: string): {
  service?: OpenSearchService;
  region?: string;
  domainName?: string;
  collectionId?: string;
} {
  const h = host.toLowerCase().replace(/\.$/, '');
  const aoss = AOSS_HOST.exec(h);
  if (aoss) return { service: 'aoss', region: aoss[2], collectionId: aoss[1] };
  const es = ES_HOST.exec(h);
  if (es) {
    const rest = es[1]!;
    const id = DOMAIN_ID.exec(rest);
    const domainName = id ? id[1] : rest.includes('-') ? rest.slice(0, rest.lastIndexOf('-')) : undefined;
    return { service: 'es', region: es[2] ?? es[3], ...(domainName ? { domainName } : {}) };
  }
  return {};
}

/**
 * Parses one --opensearch value. A bare host (the Helm chart's `url.host`) means https on 443.
 * The host name wins over the agent's region because the endpoint's region is what SigV4 must name.
 */
export function parseOpenSearchTarget(
  raw: string,
  opts: { serviceOverride?: OpenSearchService; fallbackRegion?: string } = {},
): ParsedTarget {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'the OpenSearch endpoint is empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${text}" is not a URL or host name (expected https://HOST[:PORT])` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return {
      ok: false,
      reason: `"${text}" uses ${u.protocol.slice(0, -1)}; OpenSearch is reached over https`,
    };
  if (u.username || u.password)
    return { ok: false, reason: 'the endpoint carries user:password; IAM access signs requests instead' };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { ok: false, reason: `"${text}" has no host name` };
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const fromHost = describeOpenSearchHost(host);
  const service = opts.serviceOverride ?? fromHost.service ?? 'es';
  const serviceSource = opts.serviceOverride ? 'flag' : fromHost.service ? 'host' : 'default';
  const region = fromHost.region ?? opts.fallbackRegion;
  const target: OpenSearchTarget = {
    url: u.origin,
    host,
    port,
    service,
    serviceSource,
    ...(fromHost.service ? { hostService: fromHost.service } : {}),
    ...(region ? { region, regionSource: fromHost.region ? 'host' : 'context' } : {}),
    ...(fromHost.region ? { hostRegion: fromHost.region } : {}),
    ...(fromHost.domainName ? { domainName: fromHost.domainName } : {}),
    ...(fromHost.collectionId ? { collectionId: fromHost.collectionId } : {}),
  };
  return { ok: true, target };
}
