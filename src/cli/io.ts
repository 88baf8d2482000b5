/** The streams and environment a command runs with; tests and the entry points pass the process's own. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & {
    isTTY?: boolean;
    columns?: number;
    /**
     * Rewrites the one status line at the bottom of a terminal (progress); an empty text clears it.
     * Only the guarded stderr has it (guarded-io.ts): everything else written there is escaped.
     */
    writeStatus?(text: string): void;
  };
  env: Readonly<Record<string, string | undefined>>;
}
