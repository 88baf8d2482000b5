import type { Report } from '../../report/types.js';

export type Extracted =
  | { ok: true; report: Report }
  | {
      ok: false;
      reason: 'empty' | 'no-json' | 'truncated' | 'schema-version' | 'shape';
      /** One line saying what was wrong, for the LAUNCH-NO-REPORT message. */
      problem: string;
    };

const FINDING_STATUS = new Set(['pass', 'info', 'warn', 'fail', 'skip']);
const CHECK_STATUS = new Set([...FINDING_STATUS, 'error']);
const VERDICT = new Set(['pass', 'warn', 'fail']);

/**
 * Finds the agent's report in a container log. The log interleaves stderr (Node warnings, a crash
 * line) with stdout, so it looks for a balanced JSON object anywhere, preferring the last one that
 * is a report.
 */
export function extractReport(log: string): Extracted {
  if (log.trim() === '') return { ok: false, reason: 'empty', problem: 'the container log is empty' };
  let sawTruncated = false;
  let shapeProblem: Extracted | undefined;
  const starts: number[] = [];
  for (let i = log.indexOf('{'); i >= 0; i = log.indexOf('{', i + 1)) {
    if (i === 0 || log[i - 1] === '\n') starts.push(i);
  }
  // Latest first: a report printed after a false start wins.
  for (const start of starts.reverse()) {
    const end = balancedEnd(log, start);
    if (end < 0) {
      sawTruncated = true;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(log.slice(start, end + 1));
    } catch {
      continue;
    }
    const checked = validateReport(value);
    if (checked.ok) return checked;
    shapeProblem ??= checked;
  }
  if (shapeProblem) return shapeProblem;
  if (sawTruncated) {
    return {
      ok: false,
      reason: 'truncated',
      problem: 'the log holds the start of a JSON report that never ends (cut off)',
    };
  }
  return { ok: false, reason: 'no-json', problem: 'the log holds no JSON report' };
}

/** Index of the `}` closing the object opened at `start`, or -1 when the text ends first. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return c === '}' ? i : -1;
    }
  }
  return -1;
}

/** The shape the launcher relies on; anything else is reported rather than rendered half-way. */
export function validateReport(value: unknown): Extracted {
  const shape = (problem: string): Extracted => ({ ok: false, reason: 'shape', problem });
  if (!isObject(value)) return shape('the JSON is not an object');
  if (value.schemaVersion !== 1) {
    if (value.schemaVersion === undefined)
      return shape('the JSON has no schemaVersion; it is not an irsa-doctor report');
    return {
      ok: false,
      reason: 'schema-version',
      problem: `the report has schemaVersion ${JSON.stringify(value.schemaVersion)}; this launcher reads 1`,
    };
  }
  const tool = value.tool;
  if (!isObject(tool) || tool.name !== 'irsa-doctor' || typeof tool.version !== 'string') {
    return shape('tool.name/tool.version are missing');
  }
  if (!isObject(value.context) || typeof value.context.mechanism !== 'string')
    return shape('context is missing');
  if (!isObject(value.summary)) return shape('summary is missing');
  if (typeof value.verdict !== 'string' || !VERDICT.has(value.verdict))
    return shape('verdict is missing or unknown');
  if (!Array.isArray(value.checks)) return shape('checks is not a list');
  for (const [i, c] of value.checks.entries()) {
    if (!isObject(c) || typeof c.id !== 'string' || typeof c.title !== 'string')
      return shape(`checks[${i}] has no id/title`);
    if (typeof c.status !== 'string' || !CHECK_STATUS.has(c.status))
      return shape(`checks[${i}].status is unknown`);
    if (!Array.isArray(c.findings)) return shape(`checks[${i}].findings is not a list`);
    for (const [j, f] of c.findings.entries()) {
      if (
        !isObject(f) ||
        typeof f.code !== 'string' ||
        typeof f.message !== 'string' ||
        typeof f.status !== 'string' ||
        !FINDING_STATUS.has(f.status)
      ) {
        return shape(`checks[${i}].findings[${j}] lacks code/status/message`);
      }
    }
  }
  return { ok: true, report: value as unknown as Report };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
