import type { StsFailure } from './explain-sts-failure.js';

/** Where to look when STS did not answer as STS, by what the network said. */
export function stsUnreachableFix(c: StsFailure): string {
  const { host, port } = (() => {
    try {
      const u = new URL(c.call.endpoint);
      return { host: u.hostname, port: u.port || (u.protocol === 'http:' ? '80' : '443') };
    } catch {
      return { host: c.call.endpoint, port: '443' };
    }
  })();
  const viaEnv = c.call.endpointSource !== 'regional default';
  const pointed = viaEnv
    ? ` ${c.call.endpointSource}=${c.call.endpoint} redirects STS: unset it or correct it.`
    : '';
  switch (c.classification.network) {
    case 'bad-gateway': {
      const proxyVar = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].find((k) => c.env[k]);
      const proxy = proxyVar
        ? `${proxyVar} is set in this pod: add ${host} (or .amazonaws.com) to NO_PROXY/no_proxy, or fix the proxy so it forwards to STS (kubectl set env deployment/NAME -n NAMESPACE NO_PROXY=${host},...)`
        : `An HTTP(S) proxy or gateway the application uses (HTTPS_PROXY) or a transparent one in the network path answers instead of STS: add ${host} to NO_PROXY/no_proxy or route ${host} around it`;
      const endpoint = viaEnv
        ? `${c.call.endpointSource}=${c.call.endpoint} points at something that is not STS: unset it, or set it to the regional endpoint https://sts.${c.call.region}.amazonaws.com (or the STS interface VPC endpoint)`
        : `STS was called at the regional endpoint ${c.call.endpoint}; if a VPC endpoint should serve it, check its private DNS`;
      return `Something answered at ${host}:${port} that is not STS. ${proxy}. ${endpoint}. Confirm with curl -sv ${c.call.endpoint}/ -d 'Action=GetCallerIdentity&Version=2011-06-15' (STS answers with XML, a proxy with its own page).`;
    }
    case 'dns':
      return `Make ${host} resolve from the pod (getent hosts ${host}): in a private cluster create the STS interface VPC endpoint com.amazonaws.${c.call.region}.sts with private DNS enabled; check CoreDNS.${pointed}`;
    case 'refused':
      return `Nothing accepts connections at ${host}:${port}: check the STS VPC endpoint's security group allows TCP ${port} from the nodes/pods, and any egress proxy.${pointed}`;
    case 'tls':
      return `Fix TLS to ${host}: a TLS-intercepting proxy needs its CA in the container trust store (NODE_EXTRA_CA_CERTS for Node.js), or add ${host} to NO_PROXY.${pointed}`;
    default:
      return `Allow egress to ${host}:${port} from this pod: an egress NetworkPolicy (kubectl get networkpolicy -n NAMESPACE), the node/VPC endpoint security group, or an HTTP(S)_PROXY without ${host} in NO_PROXY drops it; in a private cluster create the STS interface VPC endpoint com.amazonaws.${c.call.region}.sts with private DNS.${pointed}`;
  }
}
