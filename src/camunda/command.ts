import type { AuditBesideRun, AuditTargets } from '../audit/beside-run.js';
import type { Command } from '../cli/command.js';
import { connectCommand } from '../cli/connect-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { createProgress } from '../cli/progress.js';
import { renderOptions, reportOptions } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { KubeClient } from '../kube/kube-client.js';
import { readCaBundle } from '../launcher/job/postgres-ca.js';
import { launcherProgress } from '../launcher/progress.js';
import { trapSignals } from '../launcher/trap-signals.js';
import { registerSecret } from '../lib/redact.js';
import { renderCamundaJson, renderCamundaText } from '../report/render/camunda.js';
import { renderSet } from '../report/render/render-report.js';
import { exitCodeOf } from '../report/summary.js';
import type { Report } from '../report/types.js';
import { type AgentTargets, signedOpenSearchHosts } from './agent-targets.js';
import { CAMUNDA_USAGE, parseCamundaArgs } from './camunda-args.js';
import { camundaDocument, componentEntry, ignoreInCamunda } from './camunda-document.js';
import { setOfCamunda } from './camunda-report-set.js';
import { discoverCamunda } from './discover-camunda.js';
import { type JudgeContext, judgeComponent } from './judge-component.js';
import { readNamespace } from './read-namespace.js';

/** `irsa-doctor camunda`: a Camunda 8 deployment, component by component. */
export const camundaCommand: Command = {
  name: 'camunda',
  usage: CAMUNDA_USAGE,
  async run(argv, io) {
    const options = parseCamundaArgs(argv);
    // Read before anything is sent: a CA file that cannot be used is a usage error.
    if (options.postgresCa) {
      const read = await readCaBundle(options.postgresCa.file);
      if (!read.ok) throw new UsageError(read.problem);
      options.postgresCa.pem = read.pem;
    }
    const how = reportOptions(options.report, io);
    const startedAt = new Date();
    const t0 = performance.now();
    const endAt = Date.now() + options.timeoutSeconds * 1000;
    const { signal, caught, release } = trapSignals(io, 'camunda');
    let audit: AuditBesideRun | undefined;
    try {
      const connected = await connectCommand(
        'camunda',
        {
          kubeconfig: options.kubeconfig,
          context: options.context,
          namespace: options.namespace,
          env: io.env,
          signal,
          execEndAt: endAt,
        },
        io,
        caught,
      );
      if ('exit' in connected) return connected.exit;
      const { connection } = connected;
      const namespace = connection.resolved.namespace.name;
      const kube = new KubeClient(connection.config);
      // Every password-like value the release or the pods hold is masked wherever it might surface.
      const onSecret = registerSecret;
      const inventory = await readNamespace(kube.with({ signal, endAt }), namespace, {
        ...(options.release !== undefined ? { releaseName: options.release } : {}),
        onSecret,
      });
      const disc = discoverCamunda(inventory, {
        ...(options.release !== undefined ? { releaseName: options.release } : {}),
        onSecret,
      });
      const ctx: { -readonly [K in keyof JudgeContext]: JudgeContext[K] } = {
        namespace,
        ...(disc.line ? { line: disc.line.value } : {}),
        ...(disc.release ? { release: disc.release.release.name } : {}),
        ...(disc.serviceAccounts
          ? {
              serviceAccounts: new Set(
                disc.serviceAccounts.flatMap((s) => (s.metadata?.name ? [s.metadata.name] : [])),
              ),
            }
          : {}),
        signedHosts: signedOpenSearchHosts(disc.components.map((c) => c.model)),
      };
      // The audit, when asked for or when AWS credentials are at hand: Pod Identity associations for
      // the ServiceAccount judgement, then each component's AWS side beside (or instead of) its Job.
      const wantAudit = options.audit ?? hasAwsCredentials(io.env);
      if (wantAudit) {
        const { openAuditBesideRun } = await import('../audit/beside-run.js');
        const opened = await openAuditBesideRun({
          connection,
          targets: { postgres: [], opensearch: [] },
          timeoutMs: Math.max(1000, endAt - Date.now()),
          signal,
        });
        if (opened.ok) audit = opened.audit;
        else if (options.audit)
          throw new UsageError(opened.message.replace('run --audit', 'camunda --audit'));
        else
          io.stderr.write(
            `irsa-doctor camunda: AWS credentials found but no audit: ${opened.message.replace(/^run --audit needs/, 'it needs')}\n`,
          );
      }
      const podIdentity = audit ? await audit.podIdentityServiceAccounts() : undefined;
      if (podIdentity) ctx.podIdentity = podIdentity;
      const judged = disc.components.map((d) => ({ d, j: judgeComponent(d, ctx) }));
      let reports: Array<Report | undefined> = judged.map(() => undefined);
      let interrupted = false;
      if (!options.noPods && !signal.aborted) {
        const { runComponents } = await import('./run-components.js');
        const a = audit;
        const ran = await runComponents({
          kube,
          namespace,
          runs: judged,
          options,
          signal,
          progress: launcherProgress(createProgress(io.stderr, io.env)),
          ...(a ? { besideFor: ({ j }) => a.forTargets(auditTargetsOf(j.targets)) } : {}),
        });
        reports = ran.reports;
        interrupted = ran.interrupted;
      } else if (audit && !signal.aborted) {
        // --no-pods --audit: no Job, the AWS side alone, as one report per component that uses IAM.
        const a = audit;
        reports = await Promise.all(
          judged.map(({ d, j }) =>
            d.running && j.usesIam
              ? a.reportOf(namespace, d.model.serviceAccount.value, auditTargetsOf(j.targets))
              : undefined,
          ),
        );
      }
      const entries = judged.map(({ d, j }, i) => componentEntry(d, j, reports[i]));
      const doc = ignoreInCamunda(
        camundaDocument(disc, entries, startedAt, Math.round(performance.now() - t0)),
        how.ignore,
      );
      const drawn = renderOptions(io, how);
      io.stdout.write(
        how.format === 'json'
          ? renderCamundaJson(doc)
          : how.format === 'text'
            ? renderCamundaText(doc, drawn)
            : renderSet(how.format, setOfCamunda(doc), drawn),
      );
      const sig = caught();
      return sig && (interrupted || signal.aborted) ? EXIT[sig] : exitCodeOf(doc.verdict, how.failOn);
    } finally {
      release();
      await audit?.close();
    }
  },
};

/** What the SDK's default chain would find credentials in; a region is checked when the audit opens. */
const CREDENTIAL_VARS = [
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

function hasAwsCredentials(env: Readonly<Record<string, string | undefined>>): boolean {
  return CREDENTIAL_VARS.some((k) => (env[k] ?? '') !== '');
}

/** The audit judges the role's permissions on exactly the endpoints the component uses. */
function auditTargetsOf(t: AgentTargets): AuditTargets {
  return {
    postgres: t.postgres
      ? [`${t.postgres.host.includes(':') ? `[${t.postgres.host}]` : t.postgres.host}:${t.postgres.port}`]
      : [],
    ...(t.postgres?.user !== undefined ? { postgresUser: t.postgres.user } : {}),
    opensearch: [...t.opensearch],
  };
}
