import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from '../../docs/report.schema.json' with { type: 'json' };
import sweepSchema from '../../docs/sweep.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
ajv.addSchema(schema);
const validate = ajv.getSchema(schema.$id)!;
const validateSweep = ajv.compile(sweepSchema);

function errorsOf(v: typeof validate, value: unknown): string[] {
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Validates a parsed report against the published schema; returns readable errors (empty when valid). */
export function schemaErrors(report: unknown): string[] {
  return errorsOf(validate, report);
}

/** Validates a parsed `run --all` / `audit --all` document against docs/sweep.schema.json. */
export function sweepSchemaErrors(doc: unknown): string[] {
  return errorsOf(validateSweep, doc);
}
