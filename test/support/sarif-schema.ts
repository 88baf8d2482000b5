import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

// The official SARIF 2.1.0 schema (draft-04), vendored from the npm package @microsoft/jest-sarif
// (MIT, Microsoft's sarif-js-sdk): test/fixtures/README.md. Its `language` pattern is not valid as a
// unicode regular expression, so patterns are compiled without the u flag, as a draft-04 validator would.
const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url)), 'utf8'),
) as object;
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Validates a parsed SARIF log against the official schema; readable errors, empty when valid. */
export function sarifErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
