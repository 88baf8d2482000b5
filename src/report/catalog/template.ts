import { escapeControls } from '../../lib/escape-controls.js';

// Fix and confirm texts in the catalog are templates: `{{name}}` is filled with the run's value when the
// run knows it, and otherwise printed as NAME (or as the text after `|`: `{{workload|deployment/NAME}}`),
// which is also how docs/codes.md shows it. Double braces, because fixes quote JSON.

/** The placeholder names a template string uses, at the type level (`{{a}} {{b|x}}` -> 'a' | 'b'). */
export type Placeholders<S> = S extends `${string}{{${infer P}}}${infer Rest}`
  ? KeyOf<P> | Placeholders<Rest>
  : never;
type KeyOf<P extends string> = P extends `${infer K}|${string}` ? K : P;

/** Values a template is filled with; an absent or empty value prints the placeholder. */
export type TemplateValues<K extends string = string> = Partial<Record<K, string | number | undefined>>;

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]*)(?:\|([^}]*))?\}\}/g;

/** What a placeholder prints when the run does not know its value: NAME_IN_CAPITALS, or its stated text. */
export function unknownValue(key: string, shown?: string): string {
  return shown ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function fillTemplate(template: string, values: TemplateValues = {}): string {
  return template.replace(PLACEHOLDER, (_, key: string, shown?: string) => {
    const v = values[key];
    return v === undefined || v === '' ? unknownValue(key, shown) : filledValue(String(v));
  });
}

/**
 * A value as it goes into a fix. Values come from the run (a role ARN from a variable, a name from a
 * token, a server's words), so a control character in one is shown escaped and cannot add a line to the
 * fix or drive a terminal; the fix's own lines are the template's. The one value allowed to span lines
 * is a JSON document (a trust policy to paste): JSON cannot hold a raw control character inside a
 * string, so its line breaks are layout, never content. A backtick is shown as `\u0060` (what it is
 * inside a JSON string), so a value cannot open or close the template's code spans and blocks
 * (fix-markup.ts).
 */
function filledValue(v: string): string {
  return escapeControls(v, { keepNewlines: v.includes('\n') && isJsonDocument(v) }).replace(/`/g, '\\u0060');
}

function isJsonDocument(v: string): boolean {
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

/** Every placeholder name in a template, at run time (for the catalog's own consistency test). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
