import type { V1Pod } from '@kubernetes/client-node';
import { type KubeClient, MAX_LOG_BYTES, type PodLog } from '../../kube/kube-client.js';
import { KubeError, mib } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import type { Finding, Report } from '../../report/types.js';
import { apiError } from '../api-error.js';
import { CONTAINER_NAME } from '../job/job-manifest.js';
import { extractReport } from './extract-report.js';

export type AgentReport = { report: Report } | { finding: Finding } | { interrupted: true };

/**
 * The finished pod's log -> the agent's report; a log without a usable one is LAUNCH-NO-REPORT with
 * the container's exit and the log's tail, since they are all the user has to go on.
 */
export async function readAgentReport(kube: KubeClient, namespace: string, pod: V1Pod): Promise<AgentReport> {
  const name = pod.metadata?.name ?? '';
  const term = pod.status?.containerStatuses?.find((c) => c.name === CONTAINER_NAME)?.state?.terminated;
  let log: PodLog;
  try {
    log = await kube.readPodLog(namespace, name, CONTAINER_NAME);
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    if (err.interrupted) return { interrupted: true };
    return { finding: apiError(err, `reading the log of pod ${name}`, namespace) };
  }
  const exit = term
    ? ` The container exited with code ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}.`
    : '';
  if (log.truncated) {
    // The report ends the log; with only its first MAX_LOG_BYTES read it cannot be complete.
    return {
      finding: finding(
        'LAUNCH-NO-REPORT',
        `The log of pod ${name} is longer than ${mib(MAX_LOG_BYTES)}, the most irsa-doctor reads of it, so its report (printed last) was not read.${exit}`,
        {
          variant: 'tooLarge',
          fix: { namespace },
          details: {
            pod: name,
            reason: 'too-large',
            limitBytes: MAX_LOG_BYTES,
            ...(term ? { exitCode: term.exitCode, terminated: term.reason } : {}),
          },
        },
      ),
    };
  }
  const extracted = extractReport(log.text);
  if (extracted.ok) return { report: extracted.report };
  return {
    finding: finding(
      'LAUNCH-NO-REPORT',
      `No usable report in the log of pod ${name}: ${extracted.problem}.${exit}`,
      {
        variant:
          extracted.reason === 'schema-version'
            ? 'schemaVersion'
            : term?.reason === 'OOMKilled'
              ? 'oomKilled'
              : 'other',
        details: {
          pod: name,
          reason: extracted.reason,
          ...(term ? { exitCode: term.exitCode, terminated: term.reason } : {}),
          logTail: log.text
            .split('\n')
            .slice(-15)
            .map((l) => l.slice(0, 200)),
        },
      },
    ),
  };
}
