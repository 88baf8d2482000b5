import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import { KubeError } from '../kube/kube-error.js';
import { finding } from '../report/finding.js';
import {
  appendCheck,
  launcherCheck,
  launcherOnlyReport,
  mergeReport,
  type RunFacts,
} from '../report/merge-report.js';
import type { CheckResult, Finding, Report } from '../report/types.js';
import { apiError } from './api-error.js';
import type { RunOptions } from './args/parse-run-args.js';
import { createJob } from './job/create-job.js';
import { deleteJob, kept } from './job/delete-job.js';
import { jobCreateError } from './job/job-create-error.js';
import { caConfigMap } from './job/postgres-ca.js';
import { checkMutation } from './pod/check-mutation.js';
import { readAgentReport } from './pod/read-agent-report.js';
import { checkCaConfigMap } from './preflight/check-ca-config-map.js';
import type { WebhookState } from './preflight/check-webhook.js';
import { type PodIdentityKnown, preflight } from './preflight/preflight.js';
import type { Progress } from './progress.js';
import { type RunClock, startClock } from './run-clock.js';
import { waitForJob } from './wait/wait-for-job.js';

export interface RunOneInput {
  kube: KubeClient;
  namespace: string;
  serviceAccount: string;
  options: RunOptions;
  /** Asked once per run (cluster-wide); undefined skips the finding. */
  webhook?: WebhookState;
  signal: AbortSignal;
  progress: Progress;
  /** The run's deadlines; a single run starts it before the webhook check, --all per ServiceAccount. */
  clock?: RunClock;
  /**
   * Whether this ServiceAccount has an EKS Pod Identity association: what run --all listed, or a single
   * run's lookup, made only if the ServiceAccount has no role-arn annotation.
   */
  podIdentity?: PodIdentityKnown;
  /** A check run from the workstation while the Job runs (run --audit), added to the report's end. */
  beside?: (namespace: string, serviceAccount: string) => Promise<CheckResult>;
}

export interface RunOutcome {
  report: Report;
  interrupted: boolean;
  /** Whether a report from the agent made it back. */
  agentReported: boolean;
}

/**
 * Preflight -> create the Job -> wait -> read the log -> merge; the Job is deleted in every case. The
 * check beside the Job (run --audit) runs at the same time; an interrupted run does not wait for it.
 */
export async function runOne(input: RunOneInput): Promise<RunOutcome> {
  const beside = input.beside?.(input.namespace, input.serviceAccount);
  const outcome = await runJob(input);
  if (!beside || outcome.interrupted) return outcome;
  return { ...outcome, report: appendCheck(outcome.report, await beside) };
}

async function runJob(input: RunOneInput): Promise<RunOutcome> {
  const { namespace, serviceAccount, options, signal, progress } = input;
  const clock = input.clock ?? startClock(options.timeoutSeconds);
  const { startedAt, t0 } = clock;
  // Each phase sees the API through its own limits; cleanup gets its own (see deleteJob).
  const preKube = input.kube.with({ signal, endAt: clock.preflightEnd });
  const kube = input.kube.with({ signal, endAt: clock.runEnd });
  const facts: RunFacts = { namespace, serviceAccount };
  const findings: Finding[] = [];
  const who = `${namespace}/${serviceAccount}`;
  const done = (agent: Report | undefined, interrupted = false): RunOutcome => {
    const ms = Math.round(performance.now() - t0);
    const check = launcherCheck(findings, ms);
    const report = agent
      ? mergeReport(agent, check, facts, ms)
      : launcherOnlyReport(startedAt, ms, check, facts);
    return { report, interrupted, agentReported: agent !== undefined };
  };

  if (signal.aborted) return interruptedOutcome();
  const pre = await preflight(preKube, namespace, serviceAccount, input.webhook, input.podIdentity ?? false);
  findings.push(...pre.findings);
  if (pre.interrupted || signal.aborted) return interruptedOutcome();
  if (pre.stop) return done(undefined);
  const ca = options.postgresCa;
  if (ca?.kind === 'configMap') {
    const checked = await checkCaConfigMap(preKube, namespace, ca.name, ca.key);
    if (checked.interrupted || signal.aborted) return interruptedOutcome();
    findings.push(checked.finding);
    if (checked.stop) return done(undefined);
  }

  const created = await createJob(kube, options, namespace, serviceAccount);
  if ('failed' in created) {
    const { err, name } = created.failed;
    if (!err.interrupted) findings.push(jobCreateError(err, namespace, name));
    // The request may have reached the API server before it stopped answering or the signal came,
    // or it may be behind whatever answered instead of it.
    if (err.noAnswer || err.notKubernetes) {
      const left = await deleteJob(input.kube, namespace, name, 'unsure');
      if (left) findings.push(left);
    }
    return err.interrupted || signal.aborted ? interruptedOutcome() : done(undefined);
  }
  const job = created.job.metadata.name;
  // The CA bundle follows its Job: created once the Job has a uid to be owned by. The pod may be
  // scheduled first; the kubelet retries the mount until the ConfigMap is there.
  let configMap: string | undefined;
  if (ca?.kind === 'file' && ca.pem !== undefined) {
    configMap = job;
    try {
      await kube.createConfigMap(caConfigMap(created.job, ca.pem, created.uid));
    } catch (e) {
      const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
      if (!err.interrupted)
        findings.push(apiError(err, `creating ConfigMap ${job} with the CA bundle`, namespace));
      const left = await deleteJob(input.kube, namespace, job, 'created', configMap);
      if (left) findings.push(left);
      return err.interrupted || signal.aborted ? interruptedOutcome() : done(undefined);
    }
  }
  findings.push(
    finding(
      'LAUNCH-JOB-CREATED',
      `Created Job ${namespace}/${job} running ${options.image}${configMap && ca?.kind === 'file' ? `, with ${ca.file} as the agent's --postgres-ca (ConfigMap ${configMap}, owned by the Job)` : ''}.`,
      { details: { job, ...(configMap ? { configMap } : {}) } },
    ),
  );
  progress.say(`${who}: created Job ${job}`);

  let agent: Report | undefined;
  let interrupted = false;
  try {
    const result = await waitForJob(kube, namespace, job, {
      limitMs: Math.max(0, clock.runEnd - Date.now()),
      signal,
      onPhase: (phase, p) =>
        progress.phase(who, phase, p?.spec?.nodeName ? `node ${p.spec.nodeName}` : undefined),
    });
    const pod = 'pod' in result ? result.pod : undefined;
    if (pod) notePod(pod);
    if (result.kind === 'interrupted') {
      interrupted = true;
      findings.push(interruptedFinding(job));
    } else if (result.kind === 'failed') {
      findings.push(result.finding);
    } else {
      const read = await readAgentReport(kube, namespace, result.pod);
      if ('report' in read) agent = read.report;
      else if ('finding' in read) findings.push(read.finding);
      else {
        interrupted = true;
        findings.push(interruptedFinding(job));
      }
    }
  } finally {
    findings.push(
      options.keep
        ? kept(namespace, job)
        : (await deleteJob(input.kube, namespace, job, 'created', configMap))!,
    );
  }
  return done(agent, interrupted);

  function notePod(pod: V1Pod) {
    if (pod.metadata?.name) facts.pod = pod.metadata.name;
    if (pod.spec?.nodeName) facts.node = pod.spec.nodeName;
    const mutation = checkMutation(pod, pre.expectation);
    if (mutation) findings.push(mutation);
  }

  function interruptedOutcome(): RunOutcome {
    findings.push(interruptedFinding(undefined));
    return done(undefined, true);
  }
}

function interruptedFinding(job: string | undefined): Finding {
  return finding(
    'LAUNCH-INTERRUPTED',
    `Interrupted before the agent reported${job ? `; Job ${job} was cleaned up as below` : ''}.`,
    { variant: 'run', details: job ? { job } : undefined },
  );
}
