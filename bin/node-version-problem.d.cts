/** The oldest Node.js the bundle runs on, as `major.minor.patch`. */
export declare const MINIMUM_NODE: string;
/** One line naming the Node found and what to install when it is too old, else undefined. */
export declare function nodeVersionProblem(version: string, execPath?: string): string | undefined;
