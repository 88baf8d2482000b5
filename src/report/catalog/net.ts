import { defineCodes } from './define.js';

const SOME_ADDRESSES = 'some of the addresses fail while others work: clients that pick them fail';
const PG_BUNDLE = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** Reachability of Aurora/RDS PostgreSQL and OpenSearch endpoints, probed with DNS, TCP and TLS (no nmap). */
export const NET_CODES = defineCodes({
  'NET-OK': {
    check: ['postgres-reachability', 'opensearch'],
    status: 'pass',
    title: 'Endpoint reachable',
    cause: 'The name resolved, a TCP connection opened and (where probed) the TLS handshake completed.',
    confirm:
      'details.addresses (private or public), details.tcp (connect time per address), details.tls (subject, SANs, expiry).',
  },
  'NET-DNS': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: 'fail',
    title: 'Host name does not resolve',
    cause:
      'The host name is misspelled or belongs to another region/account; the record lives in a Route 53 private hosted zone that is not associated with the cluster VPC; the resolver (CoreDNS, VPC resolver) did not answer (EAI_AGAIN) or egress to kube-dns is blocked by a NetworkPolicy.',
    confirm:
      'kubectl run dnsprobe -it --rm --image=busybox -- nslookup {{host}}; aws route53 get-hosted-zone --id ZONE_ID (VPCs).',
    fix: {
      resolver:
        "The pod's resolver did not answer: check CoreDNS (kubectl -n kube-system get pods -l k8s-app=kube-dns), NetworkPolicies allowing egress to kube-dns on UDP/TCP 53, and the pod's dnsPolicy.",
      name: 'Check the host name "{{host}}" (copy the endpoint AWS shows for the {{service}} resource). If it lives in a Route 53 private hosted zone, associate that zone with the cluster\'s VPC: aws route53 associate-vpc-with-hosted-zone --hosted-zone-id ZONE_ID --vpc VPCRegion=REGION,VPCId=VPC_ID. Confirm from a pod: kubectl run dnsprobe -it --rm --image=busybox -- nslookup {{host}}',
      opensearchDomain:
        "Make {{host}} resolvable from the pod: a VPC domain endpoint (vpc-...) resolves only inside its VPC, so check the domain's VPC matches the cluster's (aws opensearch describe-domain --domain-name {{domainName}} --query DomainStatus.VPCOptions), and that CoreDNS works (kubectl -n kube-system logs -l k8s-app=kube-dns).",
    },
  },
  'NET-REFUSED': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: { fail: 'no address accepts the connection', warn: SOME_ADDRESSES },
    title: 'Connection refused',
    cause:
      'Nothing listens on that port (wrong port: Aurora PostgreSQL 5432, OpenSearch 443; a stopped or deleted resource); a firewall or NetworkPolicy that rejects instead of dropping.',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].[Endpoint,Port,Status]"; kubectl get networkpolicy -A.',
    fix: {
      postgres:
        'Nothing accepts connections on {{host}}:{{port}}: check the port (Aurora PostgreSQL listens on 5432 unless the cluster was created with another port) and that the endpoint belongs to a running resource.',
      opensearch:
        'Nothing accepts connections on {{host}}:{{port}}: Amazon OpenSearch Service listens on 443 (not 9200); check the port in the URL and any proxy in between.',
    },
  },
  'NET-TIMEOUT': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: { fail: 'no address answers', warn: SOME_ADDRESSES },
    title: 'No answer to the TCP connect (or no answer after it)',
    cause:
      'The endpoint security group has no inbound rule for the port from the node/pod security group; a network ACL drops the traffic or its return (ephemeral ports); no route between the subnets/VPCs; a NetworkPolicy drops egress; the name resolves to a public address that is only reachable through NAT. When the TCP connect worked but nothing answered after it (details.phase tls: no TLS handshake; startup: TCP and TLS worked but the service never answered the first message of its protocol), something in between (a sidecar, an egress proxy, a load balancer) accepted the connection.',
    confirm:
      'aws ec2 describe-security-groups --group-ids ENDPOINT_SG --query "SecurityGroups[].IpPermissions"; VPC Reachability Analyzer from the node ENI to the endpoint ENI.',
    fix: {
      acceptedNoAnswer:
        'Something accepted the TCP connection (a sidecar such as Istio/Linkerd, an egress proxy or a load balancer) but no {{service}} answered behind it; check where it forwards.',
      securityGroup:
        "Allow inbound TCP {{port}} on the {{service}} security group from the node security group (or the pod's security group, with security groups for pods): aws ec2 authorize-security-group-ingress --group-id ENDPOINT_SG --protocol tcp --port {{port}} --source-group NODE_OR_POD_SG. Then check the network ACLs of both subnets (inbound {{port}}, return traffic on 1024-65535), the route tables, and Kubernetes NetworkPolicies limiting egress.",
      publicAddresses:
        'The name resolves to public addresses only: the pod leaves the VPC through NAT, so an SG rule by source group cannot match; resolve the endpoint inside its VPC (enableDnsHostnames/enableDnsSupport) or peer the VPCs.',
      opensearchNoTls:
        'Something accepts TCP on {{host}}:{{port}} but does not complete a TLS handshake: check the port (Amazon OpenSearch Service serves HTTPS on 443), that the URL scheme matches what listens there, and any proxy or firewall in between.',
      opensearch:
        "Allow HTTPS ({{port}}) from the pods to the domain: the domain's security group must accept the node or pod security group on {{port}}, and NetworkPolicies must allow egress to it.",
    },
  },
  'NET-UNREACHABLE': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: {
      fail: 'no address is reachable',
      warn: SOME_ADDRESSES,
      info: 'only IPv6 addresses are unreachable while IPv4 works; clients fall back to IPv4',
    },
    title: 'No route to the address',
    cause:
      'The pod has no route to that network (missing VPC peering / transit gateway route, an IPv6 address on an IPv4-only pod).',
    confirm: 'VPC Reachability Analyzer; aws ec2 describe-route-tables for the pod subnet.',
    fix: {
      route:
        "No route from the pod to {{host}}: check the route tables, VPC peering or transit gateway between the pod's subnet and the endpoint's, and for IPv6 addresses whether the pod has IPv6 at all.",
      opensearch:
        "Allow HTTPS ({{port}}) from the pods to the domain: the domain's security group must accept the node or pod security group on {{port}}, and NetworkPolicies must allow egress to it.",
    },
  },
  'NET-RESET': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: { fail: 'every address closes the connection', warn: SOME_ADDRESSES },
    title: 'Connection closed by the peer',
    cause:
      'An egress proxy, mesh sidecar or firewall closed the connection; a different service listens on the port.',
    confirm:
      'Check HTTPS_PROXY/NO_PROXY and mesh sidecars in the pod; openssl s_client -connect {{host}}:{{port}} from the pod.',
    fix: {
      closed:
        'Something closed the connection to {{host}}:{{port}} at once: an egress proxy or firewall, or a service other than {{service}} on that port. Check the port and any egress proxy (HTTPS_PROXY) or mesh sidecar in the pod.',
      opensearch:
        "Allow HTTPS ({{port}}) from the pods to the domain: the domain's security group must accept the node or pod security group on {{port}}, and NetworkPolicies must allow egress to it.",
    },
  },
  'NET-TLS': {
    check: ['postgres-reachability', 'postgres', 'opensearch'],
    status: {
      fail: 'the connection cannot be trusted or has no TLS',
      warn: 'the certificate names another host, and verification (--postgres-ca) was not asked for',
    },
    title: 'TLS handshake or certificate problem',
    cause:
      'The server offers no TLS (a proxy answering "N" to the PostgreSQL SSLRequest); the certificate expired; it does not name the host dialled (a CNAME or IP instead of the AWS endpoint); it is not signed by the given CA bundle (old rds-ca-2019 bundle, TLS-intercepting proxy).',
    confirm:
      'openssl s_client -connect {{host}}:{{port}} -starttls postgres -servername {{host}} (OpenSearch: without -starttls); details.tls.',
    fix: {
      noTls:
        "Point --postgres (and the application) at the cluster endpoint itself (aws rds describe-db-clusters --query 'DBClusters[].Endpoint'), or enable TLS on the proxy in between.",
      postgresExpired:
        'Rotate the DB certificate: aws rds modify-db-instance --db-instance-identifier INSTANCE --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately (for each instance of the cluster).',
      opensearchExpired:
        'Check the pod clock (date -u) and, for a custom endpoint, renew its certificate in ACM.',
      postgresUntrusted: `Pass the CA bundle that signed this certificate (details.tlsCa says what it was checked against; for an RDS name the agent uses its bundled AWS RDS CA): curl -o global-bundle.pem ${PG_BUNDLE} and --postgres-ca global-bundle.pem; a proxy that re-signs TLS needs its own CA (--postgres-ca, or NODE_EXTRA_CA_CERTS, which the bundled CA keeps).`,
      opensearchUntrusted:
        'Trust the chain {{host}} presents: Amazon OpenSearch Service uses public Amazon Trust Services certificates, so an untrusted chain means a TLS-intercepting proxy or a custom endpoint with a private CA; add that CA to the pod via NODE_EXTRA_CA_CERTS (Java clients: the truststore).',
      otherName:
        'Connect with a name the certificate carries (the endpoint AWS shows, not a CNAME or IP), e.g. {{certificateName|the cluster endpoint}}.',
      opensearchName:
        'Use the host name the certificate names: Amazon OpenSearch Service certificates name the domain endpoint (or the custom endpoint configured on the domain), so connect to that name rather than an IP, alias or load balancer name.',
      postgresHandshake: `The TLS handshake with {{host}}:{{port}} failed ({{errno}}): check that this is the cluster endpoint itself and that no proxy in between breaks TLS; with --postgres-ca, pass the RDS bundle (${PG_BUNDLE}).`,
    },
  },
});
