import { redact, redactDeep } from '../../lib/redact.js';
import { ignoredStatus } from '../ignore-findings.js';
import { verdictOf } from '../summary.js';
import type { Finding, FindingStatus, Report, Summary, Verdict } from '../types.js';
import { jsonText } from './json.js';
import { renderText, type TextOptions } from './text.js';
import { visible } from './visible.js';

/**
 * What `irsa-doctor camunda` prints (docs/camunda.md, docs/camunda.schema.json): the deployment
 * component by component, each with its Camunda-side findings and, when the agent ran as its
 * ServiceAccount (and the audit read its AWS side), that run's report in the usual format.
 */
export interface CamundaDocument {
  schemaVersion: 1;
  tool: { name: 'irsa-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  namespace: string;
  /** The Helm release read, or null when the live workloads were the only source. */
  release: CamundaReleaseInfo | null;
  /** The chart line (8.7, 8.8, 8.9, 8.10) and where it was read. */
  chartLine?: { value: string; source: string };
  components: CamundaComponentEntry[];
  /** About the deployment as a whole (the release, reads that failed, nothing found). */
  findings: Finding[];
  /** Every finding of the document: the deployment's, each component's, and each report's. */
  summary: Summary;
  verdict: Verdict;
}

export interface CamundaReleaseInfo {
  name: string;
  revision: number;
  chart: string;
  chartVersion: string;
  appVersion: string;
  /** Revisions above the deployed one that did not deploy (failed, pending-*). */
  newer: Array<{ revision: number; status: string }>;
}

export interface CamundaComponentEntry {
  /** The component: orchestration, zeebe, operate, optimize, identity, keycloak, web-modeler-restapi, ... */
  name: string;
  workload: { kind: string; name: string };
  /** Whether a workload runs it (false: the release enables it, nothing runs it). */
  running: boolean;
  serviceAccount: string;
  roleArn?: string;
  /** The endpoints the component reaches with IAM: what its agent run was pointed at. */
  targets: {
    postgres?: { host: string; port: number; database?: string; user?: string };
    opensearch?: { url: string };
  };
  findings: Finding[];
  /** The component's own verdict: its findings and its report together. */
  verdict: Verdict;
  /** The agent's run as this component's ServiceAccount (merged with its audit), or the audit alone. */
  report?: Report;
}

const STATUSES: readonly FindingStatus[] = ['pass', 'info', 'warn', 'fail', 'skip'];

/** Counts of a set of findings and reports, the way a report's summary counts its own. */
export function summarizeCamunda(findings: readonly Finding[], reports: readonly Report[]): Summary {
  const s: Summary = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const f of findings) s[f.status]++;
  for (const r of reports) for (const k of [...STATUSES, 'error'] as const) s[k] += r.summary[k];
  return s;
}

export function camundaVerdict(findings: readonly Finding[], reports: readonly Report[]): Verdict {
  return verdictOf(summarizeCamunda(findings, reports));
}

export function renderCamundaJson(doc: CamundaDocument): string {
  return jsonText(redactDeep(doc));
}

const VERDICT_COLOR: Record<Verdict, string> = { pass: '32', warn: '33', fail: '31' };
const STATUS_LABEL: Record<FindingStatus, string> = {
  pass: 'PASS',
  info: 'INFO',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
};

/**
 * A table, one row per component, then the deployment's findings, then each component in full (its
 * report drawn as `check` and `run` draw theirs: the same width and -v).
 */
export function renderCamundaText(doc: CamundaDocument, opts: TextOptions): string {
  const { color } = opts;
  const paint = (v: Verdict, s: string) => (color ? `\x1b[${VERDICT_COLOR[v]}m${s}\x1b[0m` : s);
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const rel = doc.release;
  const head = rel
    ? `release ${rel.name} revision ${rel.revision} (${rel.chart} ${rel.chartVersion})`
    : 'no Helm release (live workloads)';
  const line = doc.chartLine ? `, Camunda ${doc.chartLine.value}` : '';
  const out: string[] = [
    bold(`irsa-doctor camunda: namespace ${visible(doc.namespace)}, ${visible(head)}${visible(line)}`),
    '',
  ];
  const rows = doc.components.map((c) => ({
    name: visible(c.name),
    sa: visible(c.serviceAccount),
    role: visible(c.roleArn ? roleName(c.roleArn) : '-'),
    aurora: visible(auroraCell(c)),
    opensearch: visible(c.targets.opensearch?.url ?? '-'),
    verdict: c.verdict,
  }));
  const header = {
    name: 'COMPONENT',
    sa: 'SERVICEACCOUNT',
    role: 'ROLE',
    aurora: 'AURORA',
    opensearch: 'OPENSEARCH',
  };
  const width = (k: keyof typeof header) => Math.max(header[k].length, ...rows.map((r) => r[k].length));
  const w = {
    name: width('name'),
    sa: width('sa'),
    role: width('role'),
    aurora: width('aurora'),
    opensearch: width('opensearch'),
  };
  const cells = (r: typeof header) =>
    `${r.name.padEnd(w.name)}  ${r.sa.padEnd(w.sa)}  ${r.role.padEnd(w.role)}  ${r.aurora.padEnd(w.aurora)}  ${r.opensearch.padEnd(w.opensearch)}`;
  if (rows.length > 0) {
    out.push(`${cells(header)}  VERDICT`);
    for (const r of rows) out.push(`${cells(r)}  ${paint(r.verdict, r.verdict.toUpperCase())}`);
  }
  if (doc.findings.length > 0) out.push('', bold('Deployment'), ...findingLines(doc.findings));
  out.push(
    '',
    `${bold('Verdict:')} ${paint(doc.verdict, doc.verdict.toUpperCase())} (${counts(doc.summary)}) in ${doc.durationMs} ms`,
  );
  const text = [redact(out.join('\n'))];
  for (const c of doc.components) {
    const title = `${c.name} (${c.workload.kind}/${c.workload.name}${c.running ? '' : ', not running'})`;
    const lines = ['', bold(`==== ${visible(title)}`), ...findingLines(c.findings)];
    text.push(redact(lines.join('\n')));
    if (c.report) text.push(`\n${renderText(c.report, opts).replace(/\n$/, '')}`);
  }
  return `${text.join('\n')}\n`;
}

function findingLines(findings: readonly Finding[]): string[] {
  const codeWidth = Math.max(12, ...findings.map((f) => f.code.length));
  const lines: string[] = [];
  for (const f of findings) {
    // A finding the user acknowledged (--ignore) says so, and what it was, as a report's text does.
    const was = ignoredStatus(f);
    const note = was ? `(${STATUS_LABEL[was]}, ignored by the user) ` : '';
    lines.push(
      `  ${STATUS_LABEL[f.status].padEnd(5)} ${visible(f.code).padEnd(codeWidth)}  ${note}${visible(f.message)}`,
    );
    if (f.remediation) {
      const pad = ' '.repeat(8 + codeWidth);
      const [first, ...rest] = f.remediation.split('\n').map(visible);
      lines.push(`${pad}fix: ${first}`, ...rest.map((r) => `${pad}     ${r}`));
    }
  }
  return lines;
}

function auroraCell(c: CamundaComponentEntry): string {
  const p = c.targets.postgres;
  if (!p) return '-';
  return `${p.user ? `${p.user}@` : ''}${p.host}:${p.port}${p.database ? `/${p.database}` : ''}`;
}

/** `arn:aws:iam::1:role/path/name` -> `name`: the table has no room for ARNs; the details show them whole. */
function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

function counts(s: Summary): string {
  return `${s.pass} pass, ${s.info} info, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error`;
}
