import type { V1ServiceAccount } from '@kubernetes/client-node';
import { createMemo } from '../checks/memo.js';
import { runChecks } from '../checks/run-checks.js';
import type { Command } from '../cli/command.js';
import type { Io } from '../cli/io.js';
import { resolveOutput, wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { connectKube } from '../kube/connect-kube.js';
import { KubeClient } from '../kube/kube-client.js';
import { RunDeadline } from '../lib/deadline.js';
import { finding } from '../report/finding.js';
import { renderJson } from '../report/render/json.js';
import { type RunsDocument, renderRunsJson, renderRunsText, runsExitCode } from '../report/render/sweep.js';
import { renderText } from '../report/render/text.js';
import { exitCodeOf } from '../report/summary.js';
import type { Report } from '../report/types.js';
import { AUDIT_USAGE, parseAuditArgs } from './audit-args.js';
import type { AuditContext, AuditSweep } from './audit-context.js';
import type { AuditOptions } from './audit-options.js';
import { auditReport } from './audit-report.js';
import { AuditAws } from './aws/audit-aws.js';
import { clusterHintsOfExec, regionOfEksServer } from './cluster/kubeconfig-hints.js';
import { kubeFailureFinding } from './failure-findings.js';
import { kubeRead } from './kube-read.js';
import { clusterAssociations } from './pod-identity/associations.js';
import { auditChecksFor } from './registry.js';
import { ROLE_ARN_ANNOTATION } from './serviceaccount/role-annotation.js';

/** `irsa-doctor audit`: the AWS side of IRSA, read from the workstation; one report per ServiceAccount. */
export const auditCommand: Command = {
  name: 'audit',
  usage: AUDIT_USAGE,
  async run(argv, io) {
    const options = parseAuditArgs(argv);
    const output = resolveOutput(options.output, io, ['text', 'json'] as const);
    const sweep = await openSweep(options, io);
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

type Sweep = AuditSweep & { defaultNamespace: string };

/** Everything the ServiceAccounts of one audit share: the deadline, the clients, the kubeconfig's hints. */
async function openSweep(options: AuditOptions, io: Io): Promise<Sweep> {
  const deadline = new RunDeadline(options.timeoutMs);
  const endAt = Date.now() + options.timeoutMs;
  const connection = await connectKube({
    kubeconfig: options.kubeconfig,
    context: options.context,
    namespace: options.namespace,
    env: io.env,
    signal: deadline.signal,
    execEndAt: endAt,
  });
  if (!connection.ok)
    throw new UsageError(connection.message, connection.fix ? `Fix: ${connection.fix}` : '');
  if (connection.notice) io.stderr.write(`irsa-doctor audit: ${connection.notice}\n`);
  const { resolved } = connection;
  const server = resolved.cluster.server;
  const hints = { server, ...clusterHintsOfExec(resolved.exec?.args) };
  const region = options.region ?? hints.region ?? regionOfEksServer(server) ?? (await sdkRegion());
  if (!region)
    throw new UsageError(
      'no AWS region: pass --region REGION, or set AWS_REGION (or a region in the AWS profile)',
      '',
    );
  return {
    options,
    deadline,
    kube: new KubeClient(connection.config, { signal: deadline.signal, endAt }),
    aws: new AuditAws(region, deadline),
    kubeconfigHints: hints,
    now: () => new Date(),
    memo: createMemo(),
    defaultNamespace: resolved.namespace.name,
  };
}

/** The region the SDK's own chain finds (AWS_REGION, AWS_DEFAULT_REGION, the selected profile). */
async function sdkRegion(): Promise<string | undefined> {
  const m = (await import('@aws-sdk/client-sts')) as unknown as Record<string, unknown>;
  const STSClient = (m.STSClient ??
    (m.default as Record<string, unknown>).STSClient) as typeof import('@aws-sdk/client-sts').STSClient;
  const client = new STSClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

async function auditOne(sweep: AuditSweep, namespace: string, serviceAccount: string): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const ctx: AuditContext = {
    sweep,
    deadline: sweep.deadline,
    namespace,
    serviceAccount,
    memo: createMemo(),
  };
  const results = await runChecks(auditChecksFor(sweep.options), ctx);
  return auditReport(ctx, startedAt, Math.round(performance.now() - t0), results);
}

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
  // The associations come from EKS; a ServiceAccount context for the sweep facts is enough to ask.
  const probe: AuditContext = {
    sweep,
    deadline: sweep.deadline,
    namespace: namespace ?? '',
    serviceAccount: '',
    memo: createMemo(),
  };
  const associations = await clusterAssociations(probe);
  const withPodIdentity = new Set(
    associations?.ok ? associations.value.map((a) => `${a.namespace}/${a.serviceAccount}`) : [],
  );
  const targets = listed.value
    .filter((sa: V1ServiceAccount) => {
      const key = `${sa.metadata?.namespace}/${sa.metadata?.name}`;
      return sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION] !== undefined || withPodIdentity.has(key);
    })
    .map((sa) => ({ namespace: sa.metadata?.namespace ?? '', name: sa.metadata?.name ?? '' }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const sweepFindings = [];
  if (associations && !associations.ok)
    sweepFindings.push(
      finding(
        'AUDIT-AWS-DENIED',
        `ServiceAccounts that use only EKS Pod Identity were not listed: ${associations.action} failed (${associations.code}).`,
        {
          fix: { action: associations.action },
          details: { action: associations.action, code: associations.code },
        },
      ),
    );
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
