import type { CodeCatalog } from './code-info.js';

/** Reachability of Aurora/RDS PostgreSQL and OpenSearch endpoints, probed with DNS, TCP and TLS (no nmap). */
export const NET_CODES: CodeCatalog = {
  'NET-OK': {
    title: 'Endpoint reachable',
    cause: 'The name resolved, a TCP connection opened and (where probed) the TLS handshake completed.',
    confirm:
      'details.addresses (private or public), details.tcp (connect time per address), details.tls (subject, SANs, expiry).',
    fix: 'None.',
  },
  'NET-DNS': {
    title: 'Host name does not resolve',
    cause:
      'The host name is misspelled or belongs to another region/account; the record lives in a Route 53 private hosted zone that is not associated with the cluster VPC; the resolver (CoreDNS, VPC resolver) did not answer (EAI_AGAIN) or egress to kube-dns is blocked by a NetworkPolicy.',
    confirm:
      'kubectl run dnsprobe -it --rm --image=busybox -- nslookup HOST; aws route53 get-hosted-zone --id ZONE_ID (VPCs).',
    fix: 'Use the endpoint AWS shows for the resource, or aws route53 associate-vpc-with-hosted-zone --hosted-zone-id ZONE_ID --vpc VPCRegion=REGION,VPCId=VPC_ID; for EAI_AGAIN repair CoreDNS / allow UDP+TCP 53 to kube-dns.',
  },
  'NET-REFUSED': {
    title: 'Connection refused',
    cause:
      'Nothing listens on that port (wrong port: Aurora PostgreSQL 5432, OpenSearch 443; a stopped or deleted resource); a firewall or NetworkPolicy that rejects instead of dropping.',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].[Endpoint,Port,Status]"; kubectl get networkpolicy -A.',
    fix: 'Use the port the resource listens on, and start the resource.',
  },
  'NET-TIMEOUT': {
    title: 'No answer to the TCP connect',
    cause:
      'The endpoint security group has no inbound rule for the port from the node/pod security group; a network ACL drops the traffic or its return (ephemeral ports); no route between the subnets/VPCs; a NetworkPolicy drops egress; the name resolves to a public address that is only reachable through NAT.',
    confirm:
      'aws ec2 describe-security-groups --group-ids ENDPOINT_SG --query "SecurityGroups[].IpPermissions"; VPC Reachability Analyzer from the node ENI to the endpoint ENI.',
    fix: 'aws ec2 authorize-security-group-ingress --group-id ENDPOINT_SG --protocol tcp --port PORT --source-group NODE_OR_POD_SG; open the NACLs for PORT and 1024-65535 return traffic.',
  },
  'NET-UNREACHABLE': {
    title: 'No route to the address',
    cause:
      'The pod has no route to that network (missing VPC peering / transit gateway route, an IPv6 address on an IPv4-only pod).',
    confirm: 'VPC Reachability Analyzer; aws ec2 describe-route-tables for the pod subnet.',
    fix: 'Add the route (peering, transit gateway) or use an endpoint in the pod VPC; ignore AAAA failures when IPv4 works.',
  },
  'NET-RESET': {
    title: 'Connection closed by the peer',
    cause:
      'An egress proxy, mesh sidecar or firewall closed the connection; a different service listens on the port.',
    confirm:
      'Check HTTPS_PROXY/NO_PROXY and mesh sidecars in the pod; openssl s_client -connect HOST:PORT from the pod.',
    fix: 'Exclude the endpoint from the proxy/mesh, or use the right port.',
  },
  'NET-TLS': {
    title: 'TLS handshake or certificate problem',
    cause:
      'The server offers no TLS (a proxy answering "N" to the PostgreSQL SSLRequest); the certificate expired; it does not name the host dialled (a CNAME or IP instead of the AWS endpoint); it is not signed by the given CA bundle (old rds-ca-2019 bundle, TLS-intercepting proxy).',
    confirm:
      'openssl s_client -connect HOST:PORT -starttls postgres -servername HOST (OpenSearch: without -starttls); details.tls.',
    fix: 'Connect to the AWS endpoint name; rotate the DB CA (aws rds modify-db-instance --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately); pass the RDS bundle with --postgres-ca.',
  },
};
