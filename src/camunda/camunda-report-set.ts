import { buildReport } from '../report/build-report.js';
import { LAUNCHER_CHECK_ID } from '../report/merge-report.js';
import type { CamundaComponentEntry, CamundaDocument } from '../report/render/camunda.js';
import type { ReportSet, ReportSetEntry } from '../report/report-set.js';
import { checkStatusOf } from '../report/summary.js';
import type { Report } from '../report/types.js';

/** The check that holds a component's Camunda-side findings (the catalog's `check` of CAMUNDA-*). */
export const CAMUNDA_CHECK_ID = 'camunda';

/**
 * The document as a set of reports for the SARIF, JUnit and Markdown renderers, which every command
 * shares. Each component is one or two entries: its Camunda-side findings as a report of one check
 * (`NAME: configuration`), then, when it has one, its report exactly as the document holds it
 * (`NAME: agent` for the Job's run, `NAME: audit` for the AWS side alone with --no-pods). The
 * deployment's own findings are the set's. Totals are the document's: the entries and the set's
 * findings count exactly what the document counts.
 */
export function setOfCamunda(doc: CamundaDocument): ReportSet {
  return {
    subject: 'COMPONENT',
    entries: doc.components.flatMap((c) => {
      const own: ReportSetEntry = { name: `${c.name}: configuration`, report: configurationReport(doc, c) };
      if (!c.report) return [own];
      return [own, { name: `${c.name}: ${reportKind(c.report)}`, report: c.report }];
    }),
    findings: doc.findings,
    summary: doc.summary,
    verdict: doc.verdict,
  };
}

/**
 * The component's Camunda-side findings as a report about its ServiceAccount. Its mechanism is the
 * one its agent run found when there is one; otherwise what the ServiceAccount is configured for (a
 * role annotation is IRSA), `none` without one.
 */
function configurationReport(doc: CamundaDocument, c: CamundaComponentEntry): Report {
  return buildReport(
    new Date(doc.startedAt),
    0,
    {
      namespace: doc.namespace,
      serviceAccount: c.serviceAccount,
      mechanism: c.report?.context.mechanism ?? (c.roleArn ? 'irsa' : 'none'),
      ...(c.roleArn ? { roleArn: c.roleArn } : {}),
    },
    [
      {
        id: CAMUNDA_CHECK_ID,
        title: `Camunda configuration (${c.workload.kind}/${c.workload.name}${c.running ? '' : ', not running'})`,
        status: checkStatusOf(c.findings),
        durationMs: 0,
        findings: c.findings,
      },
    ],
  );
}

/** A Job's report starts with the launcher's check; without one it is the audit alone (--no-pods). */
function reportKind(report: Report): 'agent' | 'audit' {
  return report.checks.some((k) => k.id === LAUNCHER_CHECK_ID) ? 'agent' : 'audit';
}
