/** One entry of the finding-code catalog; docs/codes.md is generated from these. */
export interface CodeInfo {
  /** Short name of the condition. */
  title: string;
  /** Why it happens (the causes, most likely first). */
  cause: string;
  /** How an operator confirms it by hand (a command or what to look at). */
  confirm: string;
  /** The exact change that fixes it ("None" for pass/info codes). */
  fix: string;
}

export type CodeCatalog = Record<string, CodeInfo>;
