import { redactDeep } from '../../lib/redact.js';
import type { Report } from '../types.js';

/** The machine contract: pretty JSON, every string passed through redaction. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(redactDeep(report), null, 2)}\n`;
}
