import { defineCodes } from './define.js';

/** The checks whose requests honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (src/lib/proxy/proxy-route.ts). */
const PROXIED = ['sts', 'oidc', 'pod-identity', 'opensearch'] as const;
const OIDC_WARN =
  "the target is the OIDC issuer, which only this pod fetches (STS fetches the keys from AWS's side)";
const JVM_PROXY =
  'JVM applications (Camunda, the AWS SDK for Java) ignore HTTPS_PROXY and read system properties: JAVA_TOOL_OPTIONS="-Dhttps.proxyHost={{proxyHost|PROXY_HOST}} -Dhttps.proxyPort={{proxyPort|PROXY_PORT}} -Dhttp.nonProxyHosts=169.254.169.254|169.254.170.23|localhost|*.svc.cluster.local"';

/** Egress proxies on the way to STS, the OIDC issuer, the Pod Identity agent and OpenSearch. */
export const PROXY_CODES = defineCodes({
  'PROXY-UNREACHABLE': {
    check: PROXIED,
    status: { fail: 'the request could not be made at all', warn: OIDC_WARN },
    title: 'The proxy itself does not answer',
    cause:
      'The proxy in HTTPS_PROXY / HTTP_PROXY refused the connection, its host name does not resolve, it did not answer in time, or it closed the connection before answering: the request never reached the proxy, let alone the target. A wrong port or host in the variable, a proxy that is down, or an egress NetworkPolicy that allows the target but not the proxy.',
    confirm:
      'env | grep -i _proxy; kubectl exec POD -- curl -sv -x {{proxy|$HTTPS_PROXY}} https://{{host|sts.REGION.amazonaws.com}}/ -o /dev/null',
    fix: 'Fix the proxy in {{variable}} ({{proxy}}): check its host and port, that it runs, and that NetworkPolicies allow egress from the pod to it. If {{host}} is meant to be reached directly, add it to NO_PROXY and no_proxy instead.',
  },
  'PROXY-AUTH': {
    check: PROXIED,
    status: { fail: 'the proxy refused the request', warn: OIDC_WARN },
    title: 'The proxy wants credentials (407)',
    cause:
      'The proxy answered 407 Proxy Authentication Required: the proxy URL carries no user:password, or the proxy refused the ones it carries (wrong or expired password, a user the proxy does not know, a password with @ : / not percent-encoded), or the proxy accepts only another scheme (NTLM, Negotiate) than Basic.',
    confirm:
      'kubectl exec POD -- curl -sv -x "$HTTPS_PROXY" https://{{host|sts.REGION.amazonaws.com}}/ -o /dev/null (look for "407" and Proxy-Authenticate)',
    fix: {
      missing:
        'Give the proxy credentials in {{variable}}: http://USER:PASSWORD@{{proxyHost|PROXY_HOST}}:{{proxyPort|PROXY_PORT}} (percent-encode @ : / in the password; take it from a Secret with env valueFrom, not from the manifest).',
      refused:
        'The proxy refused the credentials in {{variable}} for user {{user|USER}}: check the password (percent-encode @ : / in it) and that this user may use the proxy.',
      scheme:
        'The proxy asks for {{scheme}} authentication, which neither this tool nor the AWS CLI speaks over a proxy URL: ask for a Basic-auth or an unauthenticated egress path for the pods, or exempt the target with NO_PROXY.',
      jvm: 'JVM applications take proxy credentials from -Dhttps.proxyUser/-Dhttps.proxyPassword and need -Djdk.http.auth.tunneling.disabledSchemes= to send Basic credentials on HTTPS tunnels.',
    },
  },
  'PROXY-REFUSED': {
    check: PROXIED,
    status: { fail: 'the proxy refused the request', warn: OIDC_WARN },
    title: 'The proxy refused to connect to the target',
    cause:
      "The proxy answered the CONNECT with an error instead of opening the tunnel: 403 when its policy (an allowlist of domains, a blocked category) does not admit the target; 502, 503 or 504 when the proxy itself could not reach it (the proxy's own DNS, routes or firewall).",
    confirm:
      'kubectl exec POD -- curl -sv -x "$HTTPS_PROXY" https://{{host|TARGET}}:{{port|443}}/ -o /dev/null (the CONNECT answer)',
    fix: {
      denied:
        'Allow {{host}}:{{port}} on the proxy (its allowlist: sts.REGION.amazonaws.com, the OIDC issuer oidc.eks.REGION.amazonaws.com, the OpenSearch domain endpoint), or, when the pod may reach {{host}} directly, add it to NO_PROXY and no_proxy.',
      upstream:
        "The proxy could not reach {{host}}:{{port}} itself (HTTP {{status}}): check the proxy's DNS and egress for that host, or, when the pod may reach it directly (a VPC endpoint), add it to NO_PROXY and no_proxy.",
    },
  },
  'PROXY-INVALID': {
    check: PROXIED,
    status: { fail: 'no request could honour the setting', warn: OIDC_WARN },
    title: 'The proxy setting is not a usable proxy URL',
    cause:
      'HTTPS_PROXY / HTTP_PROXY (or the lower-case ones, which win) is set to something that is not an http:// or https:// proxy URL: a socks5:// proxy, a typo, a value with spaces. Tools that honour the variable fail or ignore it, each in its own way.',
    confirm: 'env | grep -i _proxy',
    fix: 'Set {{variable}} to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT), or unset it; {{variable}} {{problem}}.',
  },
  'PROXY-ONLY': {
    check: PROXIED,
    status: 'warn',
    title: 'Reachable only through the proxy',
    cause:
      'The request went through the proxy and worked, but a direct connection to the same host and port fails: egress goes only through the proxy. Applications that ignore HTTPS_PROXY (the JVM and the AWS SDK for Java, which read -Dhttps.proxyHost instead; clients built without proxy support) cannot reach it.',
    confirm:
      'kubectl exec POD -- curl -sv --noproxy "*" https://{{host|TARGET}}/ -o /dev/null (direct) and with -x "$HTTPS_PROXY" (through the proxy)',
    fix: `Applications in this pod that ignore {{variable}} will not reach {{host}}. ${JVM_PROXY}; or allow direct egress to {{host}}:{{port}} (a VPC endpoint, a NetworkPolicy or firewall rule).`,
  },
  'PROXY-DIRECT-ONLY': {
    check: PROXIED,
    status: 'warn',
    title: 'Reachable only without the proxy',
    cause:
      'A direct connection to the host works, but the request through the proxy did not get there: applications that honour HTTPS_PROXY (the AWS CLI, boto3, the Go SDK, Node clients with a proxy agent, this tool) fail, while those that ignore it (the JVM and the AWS SDK for Java) get through.',
    confirm:
      'kubectl exec POD -- curl -sv --noproxy "*" https://{{host|TARGET}}/ -o /dev/null (direct) and with -x "$HTTPS_PROXY" (through the proxy)',
    fix: 'Add {{noProxyEntry}} to NO_PROXY and no_proxy in the pod (NO_PROXY={{noProxyEntry}},...), so every client goes direct as the working path does; JVM applications that set -Dhttps.proxyHost also need it in -Dhttp.nonProxyHosts. Or allow {{host}}:{{port}} on the proxy.',
  },
});
