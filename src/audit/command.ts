import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { Command } from '../cli/command.js';
import { resolveOutput, wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { connectKube } from '../kube/connect-kube.js';
import { finding } from '../report/finding.js';
import { renderJson } from '../report/render/json.js';
import { type RunsDocument, renderRunsJson, renderRunsText, runsExitCode } from '../report/render/sweep.js';
import { renderText } from '../report/render/text.js';
import { exitCodeOf } from '../report/summary.js';
import { AUDIT_USAGE, parseAuditArgs } from './audit-args.js';
import { kubeFailureFinding } from './failure-findings.js';
import { kubeRead } from './kube-read.js';
import { associatedServiceAccounts } from './pod-identity/associations.js';
import { ROLE_ARN_ANNOTATION } from './serviceaccount/role-annotation.js';
import { auditOne, NO_REGION_MESSAGE, openSweep, type Sweep } from './sweep.js';

/** `irsa-doctor audit`: the AWS side of IRSA, read from the workstation; one report per ServiceAccount. */
export const auditCommand: Command = {
  name: 'audit',
  usage: AUDIT_USAGE,
  async run(argv, io) {
    const options = parseAuditArgs(argv);
    const output = resolveOutput(options.output, io, ['text', 'json'] as const);
    const connection = await connectKube({
      kubeconfig: options.kubeconfig,
      context: options.context,
      namespace: options.namespace,
      env: io.env,
      signal: AbortSignal.timeout(options.timeoutMs),
      execEndAt: Date.now() + options.timeoutMs,
    });
    if (!connection.ok)
      throw new UsageError(connection.message, connection.fix ? `Fix: ${connection.fix}` : '');
    if (connection.notice) io.stderr.write(`irsa-doctor audit: ${connection.notice}\n`);
    const opened = await openSweep(options, connection);
    if (!opened.ok) throw new UsageError(NO_REGION_MESSAGE, '');
    const { sweep } = opened;
    try {
      if (!options.all) {
        const report = await auditOne(
          sweep,
          options.namespace ?? sweep.defaultNamespace,
          options.serviceAccount!,
        );
        io.stdout.write(
          output === 'json'
            ? renderJson(report)
            : renderText(report, { color: wantsColor(io.stdout, io.env) }),
        );
        return exitCodeOf(report.verdict);
      }
      const doc = await auditAll(sweep);
      io.stdout.write(
        output === 'json' ? renderRunsJson(doc) : renderRunsText(doc, wantsColor(io.stdout, io.env)),
      );
      return runsExitCode(doc);
    } finally {
      await sweep.aws.close();
    }
  },
};

/** --all / -A: every ServiceAccount with a role annotation or a Pod Identity association, --parallel at a time. */
async function auditAll(sweep: Sweep): Promise<RunsDocument> {
  const { options } = sweep;
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? sweep.defaultNamespace);
  const scope = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  const listed = await kubeRead('list', 'serviceaccounts', () => sweep.kube.listServiceAccounts(namespace));
  if (!listed.ok)
    return {
      schemaVersion: 1,
      runs: [],
      findings: [kubeFailureFinding(listed, `the ServiceAccounts of ${scope}`)],
    };
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
    return {
      schemaVersion: 1,
      runs: [],
      findings: [
        ...sweepFindings,
        finding(
          'SA-NOT-ANNOTATED',
          `No ServiceAccount in ${scope} has a role annotation or an EKS Pod Identity association, so --all found nothing to audit.`,
          {
            fix: { namespace: namespace ?? 'NAMESPACE' },
          },
        ),
      ],
    };
  const runs: RunsDocument['runs'] = new Array(targets.length);
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
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, targets.length) }, worker));
  return { schemaVersion: 1, runs, ...(sweepFindings.length ? { findings: sweepFindings } : {}) };
}
