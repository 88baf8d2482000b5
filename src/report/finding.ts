import type { CodeSpec } from './catalog/define.js';
import { CATALOG, type Code } from './catalog/index.js';
import { fillTemplate, type Placeholders, type TemplateValues } from './catalog/template.js';
import { docsLink } from './docs-link.js';
import type { Finding, FindingStatus } from './types.js';

type Spec<C extends Code> = (typeof CATALOG)[C];
type FixOf<C extends Code> = Spec<C> extends { fix: infer F } ? F : never;
type VariantOf<C extends Code> = FixOf<C> extends string ? never : keyof FixOf<C> & string;
type FixKeys<C extends Code> =
  FixOf<C> extends string ? Placeholders<FixOf<C>> : Placeholders<FixOf<C>[keyof FixOf<C>]>;

/**
 * What a finding adds to its code: the status (only where the catalog allows several), the fix
 * variant(s) (only where the catalog has several), the values that fill the fix, and details.
 * Distributes over a union of codes, so a classifier's code held in a variable is checked too.
 */
export type FindingInput<C extends Code> = C extends Code
  ? { details?: Record<string, unknown> | undefined } & (Spec<C>['status'] extends FindingStatus
      ? { status?: never }
      : { status: keyof Spec<C>['status'] & FindingStatus }) &
      ([VariantOf<C>] extends [never] ? { variant?: never } : { variant: VariantOf<C> | VariantOf<C>[] }) &
      ([FixKeys<C>] extends [never] ? { fix?: never } : { fix?: TemplateValues<FixKeys<C>> })
  : never;

/** The input may be left out when a code needs nothing from the call site (no status, variant or value). */
type Rest<C extends Code> =
  Record<never, never> extends FindingInput<C> ? [input?: FindingInput<C>] : [input: FindingInput<C>];

/**
 * A finding made from its catalog entry: the status comes from the catalog (or is one it allows),
 * and warn/fail findings carry the catalog's fix filled with the run's values. The message says
 * what was observed in this run.
 */
export function finding<C extends Code>(code: C, message: string, ...[input]: Rest<C>): Finding {
  const spec = CATALOG[code] as CodeSpec | undefined;
  if (!spec) throw new Error(`finding code ${code} is not in the catalog`);
  const given = input as
    | {
        status?: FindingStatus;
        variant?: string | string[];
        fix?: TemplateValues;
        details?: Record<string, unknown>;
      }
    | undefined;
  const status = typeof spec.status === 'string' ? spec.status : given?.status;
  if (!status || (typeof spec.status !== 'string' && !(status in spec.status)))
    throw new Error(`finding ${code}: status ${status} is not one the catalog allows`);
  const out: Finding = { code, status, message };
  // Pass and skip findings have nothing to fix; an info finding carries the catalog's fix when it has one.
  if (status === 'warn' || status === 'fail' || (status === 'info' && spec.fix !== undefined))
    out.remediation = fixText(code, spec, given?.variant, given?.fix);
  if (given?.details !== undefined) out.details = given.details;
  out.docs = docsLink(code);
  return out;
}

function fixText(
  code: string,
  spec: CodeSpec,
  variant: string | string[] | undefined,
  values: TemplateValues | undefined,
): string {
  const fix = spec.fix;
  if (fix === undefined) throw new Error(`finding ${code} warns or fails but the catalog has no fix for it`);
  if (typeof fix === 'string') return fillTemplate(fix, values);
  const picked = (Array.isArray(variant) ? variant : variant === undefined ? [] : [variant]).map((v) => {
    const t = fix[v];
    if (t === undefined) throw new Error(`finding ${code}: the catalog has no fix variant ${v}`);
    return fillTemplate(t, values);
  });
  if (picked.length === 0) throw new Error(`finding ${code}: name one of its fix variants`);
  const steps = spec.steps;
  if (steps?.style === 'lines') return picked.map((p, i) => `${i + 1}. ${p}`).join('\n');
  if (steps?.style === 'inline') return [steps.intro, ...picked.map((p, i) => `(${i + 1}) ${p}`)].join(' ');
  return picked.join(' ');
}
