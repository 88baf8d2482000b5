import type { ChartLine } from './camunda-component.js';

/**
 * Which chart line a chart version belongs to. Camunda publishes one chart major per minor of the
 * platform (charts/camunda-platform-8.7 is 12.x, 8.8 is 13.x, 8.9 is 14.x, 8.10 is 15.x); the
 * appVersion (`8.7.x`) is the fallback for locally built charts versioned 0.0.0.
 */

const BY_MAJOR: Readonly<Record<string, ChartLine>> = { '12': '8.7', '13': '8.8', '14': '8.9', '15': '8.10' };
const LINES: readonly ChartLine[] = ['8.7', '8.8', '8.9', '8.10'];

export function chartLineOf(chart: {
  readonly version?: string;
  readonly appVersion?: string;
}): ChartLine | undefined {
  const major = /^v?(\d+)\./.exec(chart.version ?? '')?.[1];
  if (major && BY_MAJOR[major]) return BY_MAJOR[major];
  const app = /^v?(8\.\d+)(?:\.|$)/.exec(chart.appVersion ?? '')?.[1];
  return LINES.find((l) => l === app);
}

/** The `helm.sh/chart` label the chart puts on its objects: `camunda-platform-13.12.7`. */
export function chartLineOfLabel(label: string | undefined): ChartLine | undefined {
  const m = /^camunda-platform-(\d+\.\d+\.\d+.*)$/.exec(label ?? '');
  return m ? chartLineOf({ version: m[1]! }) : undefined;
}

/** Whether `line` is `since` or a later line (the chart's 8.9+ layouts: Optimize's own OpenSearch keys). */
export function lineAtLeast(line: ChartLine, since: ChartLine): boolean {
  return LINES.indexOf(line) >= LINES.indexOf(since);
}
