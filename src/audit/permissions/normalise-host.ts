/** Host names compare without case and without a trailing dot, as DNS does. */
export function normaliseHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}
