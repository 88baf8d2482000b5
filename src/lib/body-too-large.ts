/** The error code of a body cut off at its cap; classifiers key on it. */
export const BODY_TOO_LARGE = 'ERR_BODY_TOO_LARGE';

/**
 * A peer sent more than any genuine answer of its service holds; reading stopped at `limit` bytes and
 * the connection was closed. Every body the agent reads is capped (a misbehaving proxy must not get the
 * agent OOM-killed in a 256 Mi Job), and this is what a cap that was hit looks like.
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = BODY_TOO_LARGE;
  constructor(readonly limit: number) {
    super(
      `the answer is larger than ${formatBytes(limit)}, far more than the service ever sends; reading stopped there`,
    );
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
