import type { Command } from '../cli/command.js';
import { EXIT } from '../cli/exit-codes.js';
import { resolveOutput, wantsColor } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { connectKube } from '../kube/connect-kube.js';
import { KubeClient } from '../kube/kube-client.js';
import { trapSignals } from '../launcher/trap-signals.js';
import { registerSecret } from '../lib/redact.js';
import { camundaExitCode, renderCamundaJson, renderCamundaText } from '../report/render/camunda.js';
import type { Report } from '../report/types.js';
import { signedOpenSearchHosts } from './agent-targets.js';
import { CAMUNDA_USAGE, parseCamundaArgs } from './camunda-args.js';
import { camundaDocument, componentEntry } from './camunda-document.js';
import { discoverCamunda } from './discover-camunda.js';
import { judgeComponent } from './judge-component.js';
import { readNamespace } from './read-namespace.js';

/** `irsa-doctor camunda`: a Camunda 8 deployment, component by component. */
export const camundaCommand: Command = {
  name: 'camunda',
  usage: CAMUNDA_USAGE,
  async run(argv, io) {
    const options = parseCamundaArgs(argv);
    const output = resolveOutput(options.output, io, ['text', 'json'] as const);
    const startedAt = new Date();
    const t0 = performance.now();
    const endAt = Date.now() + options.timeoutSeconds * 1000;
    const { signal, caught, release } = trapSignals(io, 'camunda');
    try {
      const connection = await connectKube({
        kubeconfig: options.kubeconfig,
        context: options.context,
        namespace: options.namespace,
        env: io.env,
        signal,
        execEndAt: endAt,
      });
      if (!connection.ok) {
        const sig = caught();
        if (connection.kind === 'interrupted' && sig) return EXIT[sig];
        throw new UsageError(connection.message, connection.fix ? `Fix: ${connection.fix}` : '');
      }
      if (connection.notice) io.stderr.write(`irsa-doctor camunda: ${connection.notice}\n`);
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
      const ctx = {
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
      const judged = disc.components.map((d) => ({ d, j: judgeComponent(d, ctx) }));
      const reports: Array<Report | undefined> = judged.map(() => undefined);
      const entries = judged.map(({ d, j }, i) => componentEntry(d, j, reports[i]));
      const doc = camundaDocument(disc, entries, startedAt, Math.round(performance.now() - t0));
      io.stdout.write(
        output === 'json' ? renderCamundaJson(doc) : renderCamundaText(doc, wantsColor(io.stdout, io.env)),
      );
      const sig = caught();
      return sig ? EXIT[sig] : camundaExitCode(doc);
    } finally {
      release();
    }
  },
};
