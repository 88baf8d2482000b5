import { fail, info, pass, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { NetCode, NetFailure } from './classify-net-error.js';
import { isUnknownIssuer } from './classify-net-error.js';
import type { EndpointProbe, TcpProbe } from './probe-endpoint.js';

export interface ProbeFindingOptions {
  /** What listens there, for messages: `PostgreSQL`, `OpenSearch`. */
  service: string;
  /**
   * The certificate must verify: a CA bundle was given (PostgreSQL --postgres-ca), or the service
   * uses publicly trusted certificates (OpenSearch). Without it an unknown issuer is only noted.
   */
  verifyTls: boolean;
  /** Prefix for messages, e.g. `--postgres db.example:5432`; defaults to HOST:PORT. */
  label?: string;
}

/** Turns one probe into findings: one per distinct failure, or NET-OK. Pure. */
export function probeFindings(probe: EndpointProbe, opts: ProbeFindingOptions): Finding[] {
  const where = opts.label ?? `${probe.host}:${probe.port}`;
  const details = probeDetails(probe);
  if (!probe.dns.ok) {
    const e = probe.dns.error;
    return [fail('NET-DNS', `${where}: ${e.reason} (${e.errno}).`, netRemediation(e, probe, opts), details)];
  }
  const findings: Finding[] = [];
  const ok = probe.tcp.filter((t) => t.ok);
  for (const [code, attempts] of groupFailures(probe.tcp)) {
    const e = attempts[0]!.error!;
    const addrs = attempts.map((a) => a.address).join(', ');
    const msg =
      ok.length === 0
        ? `${where}: TCP connect to ${addrs} failed: ${e.reason}.`
        : `${where}: ${attempts.length} of ${probe.tcp.length} addresses failed (${addrs}): ${e.reason}; clients that pick them will fail.`;
    const remedy = netRemediation(e, probe, opts);
    // A pod without IPv6 routes cannot reach AAAA answers; clients fall back to IPv4, so that is only noted.
    const v6Only = attempts.every((a) => a.family === 6) && ok.some((a) => a.family === 4);
    if (ok.length === 0) findings.push(fail(code, msg, remedy, details));
    else if (v6Only && code === 'NET-UNREACHABLE') findings.push(info(code, msg, details));
    else findings.push(warn(code, msg, remedy, details));
  }
  if (ok.length === 0) return findings;
  const tlsFinding = judgeTls(probe, opts, where, details);
  if (tlsFinding) findings.push(tlsFinding);
  if (tlsFinding?.status === 'fail') return findings;
  const connect = ok.map((t) => `${t.address} in ${t.ms} ms`).join(', ');
  const tls = probe.tls?.ok
    ? `; TLS ${probe.tls.protocol ?? ''} with ${probe.tls.subject ?? 'a certificate'}`.replace('  ', ' ')
    : '';
  const scope = probe.dns.addresses.every((a) => !a.private)
    ? ' (public addresses: traffic leaves the VPC)'
    : '';
  findings.unshift(pass('NET-OK', `${where}: TCP connect to ${connect}${scope}${tls}.`, details));
  return findings;
}

function groupFailures(tcp: TcpProbe[]): Map<NetCode, TcpProbe[]> {
  const groups = new Map<NetCode, TcpProbe[]>();
  for (const t of tcp) {
    if (t.ok || !t.error) continue;
    const list = groups.get(t.error.code) ?? [];
    list.push(t);
    groups.set(t.error.code, list);
  }
  return groups;
}

function judgeTls(
  probe: EndpointProbe,
  opts: ProbeFindingOptions,
  where: string,
  details: Record<string, unknown>,
): Finding | undefined {
  const t = probe.tls;
  if (!t) return undefined;
  if (t.refused) {
    return fail(
      'NET-TLS',
      `${where}: the server answered "N" to PostgreSQL's SSLRequest: it offers no TLS. Aurora/RDS always does, so this is a proxy or another server; IAM authentication requires TLS.`,
      `Point --postgres (and the application) at the cluster endpoint itself (aws rds describe-db-clusters --query 'DBClusters[].Endpoint'), or enable TLS on the proxy in between.`,
      details,
    );
  }
  if (!t.ok) {
    const e = t.error!;
    return fail(e.code, `${where}: ${e.reason}.`, netRemediation(e, probe, opts), details);
  }
  if (t.expired || t.authorizationError === 'CERT_HAS_EXPIRED') {
    return fail(
      'NET-TLS',
      `${where}: the server certificate expired on ${t.validTo}.`,
      opts.service === 'PostgreSQL'
        ? 'Rotate the DB certificate: aws rds modify-db-instance --db-instance-identifier INSTANCE --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately (for each instance of the cluster).'
        : 'Renew the endpoint certificate (for a custom endpoint, the ACM certificate attached to the domain).',
      details,
    );
  }
  const verifyFailed = t.authorized === false && !(isUnknownIssuer(t.authorizationError) && !opts.verifyTls);
  if (verifyFailed) {
    return fail(
      'NET-TLS',
      `${where}: the certificate (${t.subject}, issued by ${t.issuer}) does not verify: ${t.authorizationError}.`,
      opts.service === 'PostgreSQL'
        ? 'Pass the RDS CA bundle that signed this certificate: curl -o global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem and --postgres-ca global-bundle.pem; a proxy that re-signs TLS needs its own CA.'
        : 'Trust the CA that issued this certificate (NODE_EXTRA_CA_CERTS), or remove the TLS-intercepting proxy in between.',
      details,
    );
  }
  if (t.hostnameMatch === false) {
    const msg = `${where}: the certificate names ${t.sans?.join(', ') || t.subject}, not ${probe.host}; clients that verify the host name (sslmode=verify-full, HTTPS) will refuse it.`;
    const remedy = `Connect with a name the certificate carries (the endpoint AWS shows, not a CNAME or IP), e.g. ${firstDnsName(t.sans) ?? 'the cluster endpoint'}.`;
    return opts.verifyTls ? fail('NET-TLS', msg, remedy, details) : warn('NET-TLS', msg, remedy, details);
  }
  return undefined;
}

function firstDnsName(sans: string[] | undefined): string | undefined {
  return sans
    ?.find((s) => s.startsWith('DNS:'))
    ?.slice(4)
    .replace(/^\*\./, 'NAME.');
}

/** The exact change for a network failure, by code. Exported for checks that classify their own errors. */
export function netRemediation(
  e: NetFailure,
  probe: Pick<EndpointProbe, 'host' | 'port'> & Partial<EndpointProbe>,
  opts: ProbeFindingOptions,
): string {
  const { host, port } = probe;
  switch (e.code) {
    case 'NET-DNS':
      if (
        e.errno === 'EAI_AGAIN' ||
        e.errno === 'timeout' ||
        e.errno === 'ESERVFAIL' ||
        e.errno === 'EREFUSED'
      )
        return `The pod's resolver did not answer: check CoreDNS (kubectl -n kube-system get pods -l k8s-app=kube-dns), NetworkPolicies allowing egress to kube-dns on UDP/TCP 53, and the pod's dnsPolicy.`;
      return `Check the host name "${host}" (copy the endpoint AWS shows for the ${opts.service} resource). If it lives in a Route 53 private hosted zone, associate that zone with the cluster's VPC: aws route53 associate-vpc-with-hosted-zone --hosted-zone-id ZONE_ID --vpc VPCRegion=REGION,VPCId=VPC_ID. Confirm from a pod: kubectl run dnsprobe -it --rm --image=busybox -- nslookup ${host}`;
    case 'NET-REFUSED':
      return `Nothing accepts connections on ${host}:${port}: check the port (${opts.service === 'PostgreSQL' ? 'Aurora PostgreSQL listens on 5432 unless the cluster was created with another port' : 'Amazon OpenSearch Service listens on 443'}) and that the endpoint belongs to a running resource.`;
    case 'NET-TIMEOUT': {
      const pub = probe.dns?.ok && probe.dns.addresses.every((a) => !a.private);
      const accepted =
        e.phase === 'tls'
          ? `Something accepted the TCP connection (a sidecar such as Istio/Linkerd, an egress proxy or a load balancer) but no ${opts.service} answered behind it; check where it forwards. `
          : '';
      return (
        accepted +
        `Allow inbound TCP ${port} on the ${opts.service} security group from the node security group (or the pod's security group, with security groups for pods): aws ec2 authorize-security-group-ingress --group-id ENDPOINT_SG --protocol tcp --port ${port} --source-group NODE_OR_POD_SG. ` +
        `Then check the network ACLs of both subnets (inbound ${port}, return traffic on 1024-65535), the route tables, and Kubernetes NetworkPolicies limiting egress.` +
        (pub
          ? ` The name resolves to public addresses only: the pod leaves the VPC through NAT, so an SG rule by source group cannot match; resolve the endpoint inside its VPC (enableDnsHostnames/enableDnsSupport) or peer the VPCs.`
          : '')
      );
    }
    case 'NET-UNREACHABLE':
      return `No route from the pod to ${host}: check the route tables, VPC peering or transit gateway between the pod's subnet and the endpoint's, and for IPv6 addresses whether the pod has IPv6 at all.`;
    case 'NET-RESET':
      return `Something closed the connection to ${host}:${port} at once: an egress proxy or firewall, or a service other than ${opts.service} on that port. Check the port and any egress proxy (HTTPS_PROXY) or mesh sidecar in the pod.`;
    case 'NET-TLS':
      return opts.service === 'PostgreSQL'
        ? `The TLS handshake with ${host}:${port} failed (${e.errno}): check that this is the cluster endpoint itself and that no proxy in between breaks TLS; with --postgres-ca, pass the RDS bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem).`
        : `The TLS handshake with ${host}:${port} failed (${e.errno}): check the URL's scheme and port and any TLS-intercepting proxy in between.`;
  }
}

/** The facts behind network findings, no secrets. */
export function probeDetails(probe: EndpointProbe): Record<string, unknown> {
  const d: Record<string, unknown> = { host: probe.host, port: probe.port };
  if (probe.dns.ok)
    d.addresses = probe.dns.addresses.map((a) => ({
      address: a.address,
      family: a.family,
      private: a.private,
      scope: a.scope,
    }));
  else d.dns = { errno: probe.dns.error.errno, ms: probe.dns.ms };
  if (probe.tcp.length > 0)
    d.tcp = probe.tcp.map((t) => ({
      address: t.address,
      ok: t.ok,
      ms: t.ms,
      ...(t.error ? { error: t.error.errno } : {}),
    }));
  if (probe.tls) {
    const { error, ...rest } = probe.tls;
    d.tls = { ...rest, ...(error ? { error: error.errno, reason: error.reason } : {}) };
  }
  return d;
}
