/**
 * Where docs/codes.md is read: the repository's copy on its default branch (codes are stable, so the
 * newest text of an entry is the one to read). package.json's homepage names the same repository.
 */
export const CODES_DOC_URL = 'https://github.com/irsa-doctor/irsa-doctor/blob/main/docs/codes.md';

/** The link to a code's entry in docs/codes.md, whose heading is the code itself (`### STS-AUDIENCE`). */
export function docsLink(code: string): string {
  return `${CODES_DOC_URL}#${headingAnchor(code)}`;
}

/**
 * The anchor GitHub gives a Markdown heading: lower case, every character that is not a letter, a
 * digit, a space, `-` or `_` dropped, spaces turned into `-` (a repeated heading then gets `-1`, `-2`:
 * test/unit/report/docs-link.test.ts holds every code's heading unique in docs/codes.md).
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
