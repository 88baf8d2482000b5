import { isIP } from 'node:net';

/** Where an address routes: a VPC-internal answer and a public one mean different network paths. */
export type AddressScope = 'private' | 'shared' | 'loopback' | 'link-local' | 'public' | 'unspecified';

/**
 * Classifies an IP literal. `shared` is 100.64.0.0/10 (RFC 6598), which EKS custom networking and
 * secondary VPC CIDRs use, so it counts as VPC-internal like RFC 1918 space.
 */
export function addressScope(address: string): AddressScope {
  const family = isIP(address);
  if (family === 4) return ipv4Scope(address);
  if (family === 6) return ipv6Scope(address);
  return 'unspecified';
}

/** True when the address is not reachable over the internet (private, shared, loopback, link-local). */
export function isPrivateAddress(address: string): boolean {
  const s = addressScope(address);
  return s !== 'public' && s !== 'unspecified';
}

function ipv4Scope(address: string): AddressScope {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 10) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'shared';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'unspecified';
  return 'public';
}

function ipv6Scope(address: string): AddressScope {
  const lower = address.toLowerCase();
  const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Scope(mapped[1]!);
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'unspecified';
  const first = Number.parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  return 'public';
}
