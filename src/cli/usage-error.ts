import { EXIT } from './exit-codes.js';

/**
 * Something the user asked for cannot run as asked: a bad flag, a kubeconfig that cannot be loaded.
 * The shell prints it as one line naming the command and exits 2; `hint` replaces the usual
 * "Run 'irsa-doctor CMD --help'" line (e.g. a configuration error, where the help would not help).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
