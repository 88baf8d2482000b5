import type { ReportSet } from '../report-set.js';
import { setOfReport } from '../report-set.js';
import type { FailOn } from '../summary.js';
import type { Report } from '../types.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderSetText } from './sweep.js';
import { renderText, type TextOptions } from './text.js';

/** Every format a report can be printed in (`-o`). */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions extends TextOptions {
  /** JUnit marks warnings as failures when the exit code does (--fail-on warn). */
  failOn?: FailOn;
}

/** One report in the chosen format. */
export function renderReport(format: ReportFormat, report: Report, opts: RenderOptions): string {
  if (format === 'json') return renderJson(report);
  if (format === 'text') return renderText(report, opts);
  return renderSet(format, setOfReport(report), opts);
}

/**
 * Several reports (a sweep, a Camunda release) in any format but JSON, whose document each command
 * defines itself (RunsDocument for sweeps).
 */
export function renderSet(
  format: Exclude<ReportFormat, 'json'>,
  set: ReportSet,
  opts: RenderOptions,
): string {
  switch (format) {
    case 'text':
      return renderSetText(set, opts);
    case 'sarif':
      return renderSarif(set);
    case 'junit':
      return renderJunit(set, opts.failOn);
    case 'markdown':
      return renderMarkdown(set);
  }
}
