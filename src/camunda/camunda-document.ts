import { ignoreEach, ignoreFindings } from '../report/ignore-findings.js';
import {
  type CamundaComponentEntry,
  type CamundaDocument,
  camundaVerdict,
  summarizeCamunda,
} from '../report/render/camunda.js';
import type { Finding, Report, Summary, Verdict } from '../report/types.js';
import { TOOL_VERSION } from '../version.js';
import type { CamundaDiscovery, DiscoveredComponent } from './discover-camunda.js';
import type { ComponentJudgement } from './judge-component.js';

/** One component as the document shows it: its model's facts, its findings, its run's report. */
export function componentEntry(
  d: DiscoveredComponent,
  j: ComponentJudgement,
  report: Report | undefined,
): CamundaComponentEntry {
  const c = d.model;
  const t = j.targets;
  return {
    name: c.id,
    workload: { kind: c.workload.kind, name: c.workload.name.value },
    running: d.running,
    serviceAccount: c.serviceAccount.value,
    ...(c.roleArn
      ? { roleArn: c.roleArn.value }
      : report?.context.roleArn
        ? { roleArn: report.context.roleArn }
        : {}),
    targets: {
      ...(t.postgres ? { postgres: { ...t.postgres } } : {}),
      ...(t.opensearch[0] ? { opensearch: { url: t.opensearch[0] } } : {}),
    },
    findings: j.findings,
    verdict: camundaVerdict(j.findings, report ? [report] : []),
    ...(report ? { report } : {}),
  };
}

/** The whole deployment's document; summary and verdict count everything in it. */
export function camundaDocument(
  disc: CamundaDiscovery,
  components: CamundaComponentEntry[],
  startedAt: Date,
  durationMs: number,
): CamundaDocument {
  const findings = [...disc.findings];
  const rel = disc.release;
  return {
    schemaVersion: 1,
    tool: { name: 'irsa-doctor', version: TOOL_VERSION },
    startedAt: startedAt.toISOString(),
    durationMs,
    namespace: disc.namespace,
    release: rel
      ? {
          name: rel.release.name,
          revision: rel.release.revision,
          chart: rel.release.chart.name,
          chartVersion: rel.release.chart.version,
          appVersion: rel.release.chart.appVersion,
          newer: rel.history.newer.map((n) => ({ revision: n.revision, status: n.status })),
        }
      : null,
    ...(disc.line ? { chartLine: { value: disc.line.value, source: disc.line.source } } : {}),
    components,
    findings,
    ...totals(findings, components),
  };
}

/**
 * The findings the user acknowledged (--ignore, IRSA_DOCTOR_IGNORE) downgraded to info wherever they
 * are: the deployment's, each component's Camunda-side findings and its report; every verdict and the
 * totals recomputed, as ignoreInRuns does for a sweep.
 */
export function ignoreInCamunda(doc: CamundaDocument, codes: ReadonlySet<string>): CamundaDocument {
  if (codes.size === 0) return doc;
  const components = doc.components.map((c) => {
    const findings = ignoreEach(c.findings, codes);
    const report = c.report ? ignoreFindings(c.report, codes) : undefined;
    return {
      ...c,
      findings,
      verdict: camundaVerdict(findings, report ? [report] : []),
      ...(report ? { report } : {}),
    };
  });
  const findings = ignoreEach(doc.findings, codes);
  return { ...doc, components, findings, ...totals(findings, components) };
}

/** The document's summary and verdict: the deployment's findings, each component's, and each report. */
function totals(
  findings: readonly Finding[],
  components: readonly CamundaComponentEntry[],
): { summary: Summary; verdict: Verdict } {
  const all = [...findings, ...components.flatMap((c) => c.findings)];
  const reports = components.flatMap((c) => (c.report ? [c.report] : []));
  return { summary: summarizeCamunda(all, reports), verdict: camundaVerdict(all, reports) };
}
