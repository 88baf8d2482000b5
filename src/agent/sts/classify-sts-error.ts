import { BODY_TOO_LARGE } from '../../lib/body-too-large.js';

/**
 * Maps what STS (or the network in front of it) really said to one cause. Pure: keyed on the STS
 * error Code, the SDK exception name, the HTTP status and the documented Message phrases
 * (REFERENCE sections 3-4, the re:Post IRSA troubleshooting page), matched case-insensitively so a
 * reworded prefix or suffix still lands on the same cause.
 */

export type StsCause =
  | 'STS-NO-OIDC-PROVIDER'
  | 'STS-AUDIENCE'
  | 'STS-THUMBPRINT'
  | 'STS-JWKS-UNREACHABLE'
  | 'STS-TRUST-POLICY'
  | 'STS-INVALID-ARN'
  | 'STS-TOKEN-EXPIRED'
  | 'STS-REGION-DISABLED'
  | 'STS-INVALID-TOKEN'
  | 'STS-IDP-REJECTED'
  | 'STS-UNREACHABLE'
  /** AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL is no http(s) URL: nothing was sent. */
  | 'STS-ENDPOINT-INVALID'
  | 'STS-ERROR';

/**
 * How the connection failed when STS never answered. `bad-gateway`: something answered HTTP, but not
 * with an STS body (a proxy's or gateway's HTML page, garbage): STS itself was never heard from.
 */
export type NetworkFailure =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'tls'
  | 'timeout'
  | 'bad-gateway'
  /** The peer's bytes are not HTTP at all (another protocol on that port, TLS spoken to over http://). */
  | 'not-http'
  | 'other';

/** The parts of a thrown SDK/network error that say what happened (no secrets). */
export interface StsErrorFacts {
  /** Exception name, e.g. `InvalidIdentityTokenException`, `AccessDenied`, `TimeoutError`, `Error`. */
  name: string;
  /** STS error Code from the XML body, e.g. `InvalidIdentityToken`, when STS answered. */
  code?: string;
  message: string;
  httpStatus?: number;
  /** Node error code for network failures, e.g. `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`. */
  errno?: string;
  /** The peer answered HTTP without an STS error Code: not STS, something in the way. */
  notSts?: true;
}

export interface StsClassification {
  cause: StsCause;
  /** Set when cause is STS-UNREACHABLE. */
  network?: NetworkFailure;
  /** For InvalidIdentityToken "Couldn't retrieve verification key" vs IDPCommunicationError. */
  jwks?: 'unreachable' | 'key-not-found';
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const TIMEOUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ABORT_ERR', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_ERRNO = /CERT|SSL|TLS|EPROTO|UNABLE_TO_|SELF_SIGNED|HOSTNAME_MISMATCH|ALTNAME/i;

/** Extracts the facts from whatever the SDK or the deadline threw. */
export function stsErrorFacts(e: unknown): StsErrorFacts {
  if (!e || typeof e !== 'object') return { name: 'Error', message: String(e) };
  const o = e as Record<string, unknown> & { $metadata?: { httpStatusCode?: number } };
  const facts: StsErrorFacts = {
    name: typeof o.name === 'string' ? o.name : 'Error',
    // SDK deserialization errors append a second line about a hidden $response field: noise in a report.
    message: firstLine(typeof o.message === 'string' ? o.message : String(e)),
  };
  if (typeof o.Code === 'string') facts.code = o.Code;
  const status = o.$metadata?.httpStatusCode;
  if (typeof status === 'number') facts.httpStatus = status;
  // A real STS error body always carries <Error><Code>; the SDK found none, so STS did not write it.
  if (typeof status === 'number' && facts.code === undefined) facts.notSts = true;
  const cause = o.cause as Record<string, unknown> | undefined;
  const errno =
    typeof o.code === 'string' ? o.code : typeof cause?.code === 'string' ? cause.code : undefined;
  if (errno) facts.errno = errno;
  return facts;
}

function firstLine(message: string): string {
  return (message.split(/\r?\n/).find((l) => l.trim() !== '') ?? message).trim();
}

const NOT_STS_MESSAGE = /xml parse error|deserialization error|answered without credentials/i;

/** Whether the answer came from something other than STS (a proxy, a gateway, a wrong endpoint). */
export function notAnStsAnswer(f: StsErrorFacts): boolean {
  if (f.code) return false;
  // No STS answer comes near the cap (capped-http-handler.ts): whatever sent that much is not STS.
  if (f.errno === BODY_TOO_LARGE) return true;
  if (f.notSts || NOT_STS_MESSAGE.test(f.message)) return true;
  return f.httpStatus !== undefined && (f.name === 'Unknown' || f.message === 'Unknown');
}

export function classifyStsError(f: StsErrorFacts): StsClassification {
  // The SDK throws this from inside the request when the endpoint setting is no URL: STS was never asked.
  if (f.errno === 'ERR_INVALID_URL' || f.name === 'EndpointInvalid') return { cause: 'STS-ENDPOINT-INVALID' };
  if (notAnStsAnswer(f)) return { cause: 'STS-UNREACHABLE', network: 'bad-gateway' };
  const network = networkFailure(f);
  if (network) return { cause: 'STS-UNREACHABLE', network };

  const code = (f.code ?? f.name).toLowerCase().replace(/exception$/, '');
  // Typographic apostrophes (’ ʼ ‘) as plain ones, so documented phrases match however they were typed.
  const msg = f.message.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  // Message phrases first: STS reuses InvalidIdentityToken for several distinct causes.
  if (msg.includes('no openidconnect provider found')) return { cause: 'STS-NO-OIDC-PROVIDER' };
  if (msg.includes('incorrect token audience')) return { cause: 'STS-AUDIENCE' };
  if (msg.includes('thumbprint')) return { cause: 'STS-THUMBPRINT' };
  if (code === 'idpcommunicationerror') return { cause: 'STS-JWKS-UNREACHABLE', jwks: 'unreachable' };
  // Only the stable part: the prefix comes as "Couldn't", "Couldn’t" (typographic apostrophe), "Could not".
  if (msg.includes('retrieve verification key'))
    return { cause: 'STS-JWKS-UNREACHABLE', jwks: 'key-not-found' };
  if (code === 'expiredtoken' && msg.includes('security token included in the request'))
    return { cause: 'STS-ERROR' }; // expired AWS credentials on a signed call, not the web identity token
  if (code === 'expiredtoken' || msg.includes('token expired')) return { cause: 'STS-TOKEN-EXPIRED' };
  if (code === 'regiondisabled' || msg.includes('sts is not activated in this region'))
    return { cause: 'STS-REGION-DISABLED' };
  if (code === 'accessdenied' && (msg.includes('assumerolewithwebidentity') || f.httpStatus === 403))
    return { cause: 'STS-TRUST-POLICY' };
  if (code === 'validationerror' && (msg.includes('arn is invalid') || /\brolearn\b/.test(msg)))
    return { cause: 'STS-INVALID-ARN' };
  if (code === 'idprejectedclaim') return { cause: 'STS-IDP-REJECTED' };
  if (code === 'invalididentitytoken') return { cause: 'STS-INVALID-TOKEN' };
  return { cause: 'STS-ERROR' };
}

function networkFailure(f: StsErrorFacts): NetworkFailure | undefined {
  // An HTTP status means STS (or something posing as it) answered: not a network failure.
  if (f.httpStatus !== undefined) return undefined;
  const errno = f.errno ?? '';
  // llhttp's parse errors: bytes came back, but not HTTP, so nothing STS-shaped ever answered.
  if (errno.startsWith('HPE_')) return 'not-http';
  // The errno before the name: the SDK's HTTP handler renames ECONNRESET and EPIPE to TimeoutError
  // (so its retry strategy treats them as transient), yet a peer that closed the socket is no timeout.
  if (TIMEOUT.has(errno)) return 'timeout';
  if (DNS.has(errno)) return 'dns';
  if (REFUSED.has(errno)) return 'refused';
  if (RESET.has(errno)) return 'reset';
  if (errno && TLS_ERRNO.test(errno)) return 'tls';
  if (f.name === 'DeadlineError' || f.name === 'TimeoutError' || f.name === 'AbortError') return 'timeout';
  if (f.httpStatus === undefined && /socket hang up|network|getaddrinfo|connect /i.test(f.message))
    return 'other';
  return undefined;
}

/** One line that says what happened on the wire, for details and messages. */
export function describeStsError(f: StsErrorFacts): string {
  if (notAnStsAnswer(f)) {
    const what = f.httpStatus ? `HTTP ${f.httpStatus}` : 'an answer';
    const said = f.message === 'Unknown' || f.message === f.name ? '' : `: ${f.message.replace(/\.+$/, '')}`;
    return `${what}, not an STS answer${said}`;
  }
  const head = f.code ?? f.errno ?? f.name;
  const status = f.httpStatus ? ` (HTTP ${f.httpStatus})` : '';
  return `${head}${status}: ${f.message}`;
}

export const NETWORK_FAILURE_TEXT: Record<NetworkFailure, string> = {
  dns: 'the endpoint host name does not resolve (DNS)',
  refused: 'the TCP connection was refused or the host is unreachable',
  reset: 'the connection was reset before STS answered',
  tls: 'the TLS handshake failed (certificate not trusted, wrong name, or not a TLS endpoint)',
  timeout: 'no answer before the deadline (packets dropped: egress NetworkPolicy, security group, proxy)',
  'bad-gateway': 'something else answered in its place (a proxy or gateway in the way?)',
  'not-http':
    'something answered that does not speak HTTP (another service on that port, or a TLS port called with http://)',
  other: 'the request failed before STS answered',
};
