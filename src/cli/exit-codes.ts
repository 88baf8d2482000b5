/** The exit codes every command uses, so scripts can tell them apart. */
export const EXIT = {
  /** Nothing failed (warnings allowed). */
  ok: 0,
  /** A finding failed or a check errored. */
  failed: 1,
  /** Usage or configuration error (bad flag, unreadable kubeconfig): nothing was diagnosed. */
  usage: 2,
  /**
   * Standard output was closed by its reader (`| head`): what a shell reports for a program ended by
   * SIGPIPE (128 + 13). Nothing is printed; the reader has what it wanted.
   */
  brokenPipe: 141,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
