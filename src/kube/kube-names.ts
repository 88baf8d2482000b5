// Kubernetes names as the API server validates them (apimachinery's validation package): a check
// here costs nothing, a name the API refuses costs a round trip and a less precise message.

/** A qualified name (label key): optional DNS-subdomain prefix of at most 253, then a name of at most 63. */
export const LABEL_KEY =
  /^((?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label, at most 63 characters: namespace names. */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/** RFC 1123 subdomain, at most 253 characters: ServiceAccount and Secret names. */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}
