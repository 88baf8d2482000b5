import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import camundaSchema from '../../docs/camunda.schema.json' with { type: 'json' };
import schema from '../../docs/report.schema.json' with { type: 'json' };
import { statusesOf } from '../../src/report/catalog/define.js';
import { specOf } from '../../src/report/catalog/index.js';
import type { Report } from '../../src/report/types.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);
// camunda.schema.json refers to report.schema.json by its $id, which compiling it registered.
const validateCamunda = ajv.compile(camundaSchema);

function errorsOf(v: typeof validate, doc: unknown): string[] {
  if (v(doc)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Validates a parsed report against the published schema; returns readable errors (empty when valid). */
export function schemaErrors(report: unknown): string[] {
  return errorsOf(validate, report);
}

/** Validates what `irsa-doctor camunda -o json` printed against docs/camunda.schema.json. */
export function camundaSchemaErrors(doc: unknown): string[] {
  return errorsOf(validateCamunda, doc);
}

/**
 * What is wrong with a real report: schema violations, and findings the catalog does not define or
 * whose status it does not allow for that code. Every helper that runs the CLI holds its reports to it.
 */
export function reportProblems(report: Report): string[] {
  const offCatalog = report.checks
    .flatMap((c) => c.findings)
    .filter((f) => {
      const spec = specOf(f.code);
      return !spec || !statusesOf(spec).includes(f.status);
    })
    .map((f) => `${f.code}:${f.status}`);
  return [
    ...schemaErrors(report),
    ...(offCatalog.length ? [`findings the catalog does not allow: ${offCatalog.join(', ')}`] : []),
  ];
}
