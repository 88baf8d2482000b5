/** A flag kubectl users would call a usage error: main answers it with exit 2 and a --help pointer, not a crash. */
export class RunUsageError extends Error {
  override readonly name = 'RunUsageError';
}
