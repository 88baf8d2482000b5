// The OpenSearch client wraps socket errors in ConnectionError and keeps only the message, so the errno and
// OpenSSL code are recovered from Node's message wording before the shared classifier names the NET-* cause.
import type { Finding } from '../../report/types.js';
import { classifyNetError, type NetFailure } from '../net/classify-net-error.js';
import { type NetTarget, netFinding } from '../net/net-finding.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

// Node's (OpenSSL's) messages for the verify errors, which carry no code in the text.
const TLS_MESSAGES: Array<[RegExp, string]> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/unable to get issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/wrong version number|packet length too long|ssl routines|handshake/i, 'EPROTO'],
];

/** Rebuilds what the socket said from the client's message, then names it with the shared NET-* classifier. */
export function netFailureOf(message: string, timedOut: boolean): NetFailure {
  const errno =
    /\b(E[A-Z]{3,}|EAI_[A-Z]+)\b/.exec(message)?.[1] ?? TLS_MESSAGES.find(([re]) => re.test(message))?.[1];
  const syscall = /^getaddrinfo\b/.test(message) ? 'getaddrinfo' : undefined;
  const err = Object.assign(new Error(message), {
    ...(timedOut ? { code: 'ETIMEDOUT' } : errno ? { code: errno } : {}),
    ...(syscall ? { syscall } : {}),
  });
  return (
    classifyNetError(err) ?? {
      code: 'NET-UNREACHABLE',
      phase: 'tcp',
      errno: errno ?? 'unknown',
      reason: message.split('\n')[0]!.slice(0, 200),
    }
  );
}

/** Where an OpenSearch connection went, for the NET-* fix. */
export function netTargetOf(t: OpenSearchTarget): NetTarget {
  return {
    service: 'OpenSearch',
    host: t.host,
    port: t.port,
    ...(t.domainName ? { domainName: t.domainName } : {}),
  };
}

/** `note` says which way the request went (path-findings.ts pathNote), when a proxy is in play. */
export function networkFinding(message: string, timedOut: boolean, t: OpenSearchTarget, note = ''): Finding {
  const f = netFailureOf(message, timedOut);
  return netFinding(f, `OpenSearch ${t.url} could not be reached${note}: ${f.reason}.`, netTargetOf(t), {
    details: { url: t.url, phase: f.phase, errno: f.errno },
  });
}
