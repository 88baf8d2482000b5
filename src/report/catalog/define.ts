import type { FindingStatus } from '../types.js';

/** What each status of a code that may take several means, e.g. `{ fail: 'nothing else works', warn: '...' }`. */
export type StatusMeanings = Partial<Record<FindingStatus, string>>;

/**
 * One entry of the finding-code catalog: the single source of a code's check, status, texts and fix.
 * docs/codes.md is generated from these, and findings are made from them (src/report/finding.ts).
 */
export interface CodeSpec {
  /** The check that emits it (an agent check id, `launcher`, ...); several for codes checks share. */
  check: string | readonly string[];
  /** The one status this code has, or each status it may take with what that status means. */
  status: FindingStatus | StatusMeanings;
  /** Short name of the condition. */
  title: string;
  /** Why it happens (the causes, most likely first). */
  cause: string;
  /** How an operator confirms it by hand; a template (see template.ts). */
  confirm: string;
  /**
   * The exact change that fixes it, as a template filled with the run's values; several named variants
   * where the fix depends on what was observed. Absent for codes that never warn or fail.
   */
  fix?: string | Readonly<Record<string, string>>;
  /**
   * The chosen fix variants are numbered: `lines`, one step per line (1. 2. ...); `inline`, one
   * paragraph (1) ... (2) ... after the intro, e.g. causes to rule out most likely first.
   */
  steps?: { style: 'lines' } | { style: 'inline'; intro: string };
}

/** Keeps the literal types of a topic's entries, so codes, statuses, variants and placeholders are checked. */
export function defineCodes<const T extends Record<string, CodeSpec>>(codes: T): T {
  return codes;
}

export function checksOf(spec: CodeSpec): readonly string[] {
  return typeof spec.check === 'string' ? [spec.check] : spec.check;
}

export function statusesOf(spec: CodeSpec): FindingStatus[] {
  return typeof spec.status === 'string' ? [spec.status] : (Object.keys(spec.status) as FindingStatus[]);
}
