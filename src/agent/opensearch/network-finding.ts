// The OpenSearch client wraps socket errors in ConnectionError and keeps only the message, so the errno and
// OpenSSL code are recovered from Node's message wording before the shared classifier names the NET-* cause.
import { fail } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { classifyNetError, type NetFailure } from '../net/classify-net-error.js';
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

export function networkRemediation(f: NetFailure, t: OpenSearchTarget): string {
  if (f.phase === 'tls' && f.errno === 'timeout')
    return `Something accepts TCP on ${t.host}:${t.port} but does not complete a TLS handshake: check the port (Amazon OpenSearch Service serves HTTPS on 443), that the URL scheme matches what listens there, and any proxy or firewall in between.`;
  switch (f.code) {
    case 'NET-DNS':
      return `Make ${t.host} resolvable from the pod: a VPC domain endpoint (vpc-...) resolves only inside its VPC, so check the domain's VPC matches the cluster's (aws opensearch describe-domain --domain-name DOMAIN --query DomainStatus.VPCOptions), and that CoreDNS works (kubectl -n kube-system logs -l k8s-app=kube-dns).`;
    case 'NET-TLS':
      if (f.errno === 'ERR_TLS_CERT_ALTNAME_INVALID' || f.errno === 'HOSTNAME_MISMATCH')
        return `Use the host name the certificate names: Amazon OpenSearch Service certificates name the domain endpoint (or the custom endpoint configured on the domain), so connect to that name rather than an IP, alias or load balancer name.`;
      if (f.errno === 'CERT_HAS_EXPIRED' || f.errno === 'CERT_NOT_YET_VALID')
        return 'Check the pod clock (date -u) and, for a custom endpoint, renew its certificate in ACM.';
      return `Trust the chain ${t.host} presents: Amazon OpenSearch Service uses public Amazon Trust Services certificates, so an untrusted chain means a TLS-intercepting proxy or a custom endpoint with a private CA; add that CA to the pod via NODE_EXTRA_CA_CERTS (Java clients: the truststore).`;
    case 'NET-REFUSED':
      return `Nothing accepts connections on ${t.host}:${t.port}: Amazon OpenSearch Service listens on 443 (not 9200); check the port in the URL and any proxy in between.`;
    default:
      return `Allow HTTPS (${t.port}) from the pods to the domain: the domain's security group must accept the node or pod security group on ${t.port}, and NetworkPolicies must allow egress to it.`;
  }
}

export function networkFinding(message: string, timedOut: boolean, t: OpenSearchTarget): Finding {
  const f = netFailureOf(message, timedOut);
  return fail(f.code, `OpenSearch ${t.url} could not be reached: ${f.reason}.`, networkRemediation(f, t), {
    url: t.url,
    phase: f.phase,
    errno: f.errno,
  });
}
