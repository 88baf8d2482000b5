import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { Command } from '../cli/command.js';
import { connectCommand } from '../cli/connect-command.js';
import { createProgress, type Progress, trackRunning } from '../cli/progress.js';
import { renderOptions, reportOptions } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { finding } from '../report/finding.js';
import { ignoreFindings } from '../report/ignore-findings.js';
import { renderReport, renderSet } from '../report/render/render-report.js';
import { renderRunsJson } from '../report/render/sweep.js';
import { setOfRuns } from '../report/report-set.js';
import { ignoreInRuns, type RunsDocument, runsDocument } from '../report/runs-document.js';
import { exitCodeOf } from '../report/summary.js';
import { AUDIT_USAGE, parseAuditArgs } from './audit-args.js';
import { kubeFailureFinding } from './failure-findings.js';
import { kubeRead } from './kube-read.js';
import { associatedServiceAccounts } from './pod-identity/associations.js';
import { auditChecksFor } from './registry.js';
import { ROLE_ARN_ANNOTATION } from './serviceaccount/role-annotation.js';
import { auditOne, NO_REGION_MESSAGE, openSweep, type Sweep } from './sweep.js';

/** `irsa-doctor audit`: the AWS side of IRSA, read from the workstation; one report per ServiceAccount. */
export const auditCommand: Command = {
  name: 'audit',
  usage: AUDIT_USAGE,
  async run(argv, io) {
    const options = parseAuditArgs(argv);
    const how = reportOptions(options.report ?? {}, io);
    // No signal is trapped here: an interrupted exec plugin is reported like any failed one.
    const connected = await connectCommand(
      'audit',
      {
        kubeconfig: options.kubeconfig,
        context: options.context,
        namespace: options.namespace,
        env: io.env,
        signal: AbortSignal.timeout(options.timeoutMs),
        execEndAt: Date.now() + options.timeoutMs,
      },
      io,
    );
    if ('exit' in connected) return connected.exit;
    const { connection } = connected;
    const opened = await openSweep(options, connection);
    if (!opened.ok) throw new UsageError(NO_REGION_MESSAGE, '');
    const { sweep } = opened;
    const progress = createProgress(io.stderr, io.env);
    try {
      if (!options.all) {
        const running = trackRunning(
          progress,
          'Auditing',
          auditChecksFor(options).map((c) => c.id),
        );
        const audited = await auditOne(
          sweep,
          options.namespace ?? sweep.defaultNamespace,
          options.serviceAccount!,
          (r) => running.done(r.id),
        ).finally(() => running.stop());
        progress.end();
        const report = ignoreFindings(audited, how.ignore);
        io.stdout.write(renderReport(how.format, report, renderOptions(io, how)));
        return exitCodeOf(report.verdict, how.failOn);
      }
      const doc = ignoreInRuns(await auditAll(sweep, progress), how.ignore);
      progress.end();
      io.stdout.write(
        how.format === 'json'
          ? renderRunsJson(doc)
          : renderSet(how.format, setOfRuns(doc), renderOptions(io, how)),
      );
      return exitCodeOf(doc.verdict, how.failOn);
    } finally {
      progress.end();
      await sweep.aws.close();
    }
  },
};

/** --all / -A: every ServiceAccount with a role annotation or a Pod Identity association, --parallel at a time. */
async function auditAll(sweep: Sweep, progress: Progress): Promise<RunsDocument> {
  const { options } = sweep;
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? sweep.defaultNamespace);
  const scope = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  const listed = await kubeRead('list', 'serviceaccounts', () => sweep.kube.listServiceAccounts(namespace));
  if (!listed.ok) return runsDocument([], [kubeFailureFinding(listed, `the ServiceAccounts of ${scope}`)]);
  const associations = await associatedServiceAccounts(sweep);
  const withPodIdentity = associations.ok ? associations.serviceAccounts : new Set<string>();
  const targets = listed.value
    .filter((sa: V1ServiceAccount) => {
      const key = `${sa.metadata?.namespace}/${sa.metadata?.name}`;
      return sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION] !== undefined || withPodIdentity.has(key);
    })
    .map((sa) => ({ namespace: sa.metadata?.namespace ?? '', name: sa.metadata?.name ?? '' }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const sweepFindings = [];
  // A cluster that could not be found is the cluster check's finding; a refused list is this sweep's.
  if (!associations.ok && 'failure' in associations && associations.step === 'list') {
    const { action, code } = associations.failure;
    sweepFindings.push(
      finding(
        'AUDIT-AWS-DENIED',
        `ServiceAccounts that use only EKS Pod Identity were not listed: ${action} failed (${code}).`,
        { fix: { action }, details: { action, code } },
      ),
    );
  }
  if (targets.length === 0)
    return runsDocument(
      [],
      [
        ...sweepFindings,
        finding(
          'SA-NOT-ANNOTATED',
          `No ServiceAccount in ${scope} has a role annotation or an EKS Pod Identity association, so --all found nothing to audit.`,
          {
            fix: { namespace: namespace ?? 'NAMESPACE' },
          },
        ),
      ],
    );
  const runs: RunsDocument['runs'] = new Array(targets.length);
  const running = trackRunning(
    progress,
    'Auditing ServiceAccounts',
    targets.map((t) => `${t.namespace}/${t.name}`),
  );
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i]!;
      runs[i] = {
        namespace: t.namespace,
        serviceAccount: t.name,
        report: await auditOne(sweep, t.namespace, t.name),
      };
      running.done(`${t.namespace}/${t.name}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, targets.length) }, worker)).finally(() =>
    running.stop(),
  );
  return runsDocument(runs, sweepFindings);
}
