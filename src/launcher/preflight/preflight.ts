import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeError } from '../../kube/kube-error.js';
import { parseRoleArn, suggestedRoleArn } from '../../lib/arn.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { apiError } from '../api-error.js';
import type { MutationExpectation } from '../pod/check-mutation.js';
import { WEBHOOK_CONFIGURATION, type WebhookState } from './check-webhook.js';

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

export interface Preflight {
  findings: Finding[];
  /** A Job could never run (no namespace, no ServiceAccount, no API): do not create one. */
  stop: boolean;
  /** SIGINT/SIGTERM arrived during preflight. */
  interrupted?: boolean;
  expectation: MutationExpectation;
}

/**
 * Namespace, ServiceAccount and its annotation, before any Job exists. `podIdentity`: a sweep found an EKS
 * Pod Identity association for it, so a missing annotation is no warning.
 */
export async function preflight(
  kube: KubeClient,
  namespace: string,
  serviceAccount: string,
  webhook: WebhookState | undefined,
  podIdentity = false,
): Promise<Preflight> {
  const findings: Finding[] = [];
  const expectation: MutationExpectation = { annotated: undefined, webhook: webhook?.state ?? 'unknown' };
  const stop = (f: Finding): Preflight => ({ findings: [...findings, f], stop: true, expectation });
  const interrupted = (): Preflight => ({ findings, stop: true, interrupted: true, expectation });
  if (webhook?.stop) {
    if (webhook.stop.interrupted) return interrupted();
    return stop(apiError(webhook.stop, `reading MutatingWebhookConfiguration ${WEBHOOK_CONFIGURATION}`));
  }
  try {
    await kube.readNamespace(namespace);
    findings.push(finding('LAUNCH-NAMESPACE', `Namespace ${namespace} exists.`));
  } catch (e) {
    const err = e as KubeError;
    const end = readFailure(
      err,
      () =>
        finding('LAUNCH-NAMESPACE-MISSING', `Namespace ${namespace} does not exist in this cluster.`, {
          fix: { namespace },
        }),
      `reading namespace ${namespace}`,
      namespace,
    );
    if (end === 'interrupted') return interrupted();
    if (end) return stop(end);
    findings.push(
      finding('LAUNCH-NAMESPACE-UNCHECKED', `Did not check namespace ${namespace}: ${err.message}.`),
    );
  }
  let sa: V1ServiceAccount | undefined;
  try {
    sa = await kube.readServiceAccount(namespace, serviceAccount);
  } catch (e) {
    const err = e as KubeError;
    const end = readFailure(
      err,
      () =>
        finding(
          'LAUNCH-SA-MISSING',
          `ServiceAccount ${namespace}/${serviceAccount} does not exist; Kubernetes would refuse to create the pod.`,
          { fix: { namespace, serviceAccount } },
        ),
      `reading ServiceAccount ${namespace}/${serviceAccount}`,
      namespace,
    );
    if (end === 'interrupted') return interrupted();
    if (end) return stop(end);
    findings.push(
      finding(
        'LAUNCH-SA-UNCHECKED',
        `Did not check ServiceAccount ${namespace}/${serviceAccount}: ${err.message}.`,
      ),
    );
  }
  const annotated = sa?.metadata?.annotations?.[ROLE_ARN_ANNOTATION] !== undefined;
  if (sa && (annotated || !podIdentity))
    findings.push(annotationFinding(sa, namespace, serviceAccount, expectation));
  else if (sa) expectation.annotated = false;
  if (podIdentity)
    findings.push(
      finding(
        'LAUNCH-SA-POD-IDENTITY',
        `ServiceAccount ${namespace}/${serviceAccount} has an EKS Pod Identity association${annotated ? ', which takes precedence over its role-arn annotation' : ''}.`,
      ),
    );
  if (webhook) findings.push(webhook.finding);
  return { findings, stop: false, expectation };
}

/**
 * How a failed read ends preflight: interrupted, or stopped with a finding. Forbidden alone lets it go
 * on (undefined; the caller skips that check), since the Job does not need the launcher to read it.
 */
function readFailure(
  err: KubeError,
  missing: () => Finding,
  doing: string,
  namespace: string,
): Finding | 'interrupted' | undefined {
  if (err.interrupted) return 'interrupted';
  if (err.notFound) return missing();
  if (!err.forbidden) return apiError(err, doing, namespace);
  return undefined;
}

function annotationFinding(
  sa: V1ServiceAccount,
  namespace: string,
  name: string,
  expectation: MutationExpectation,
): Finding {
  const raw = sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  expectation.annotated = raw !== undefined;
  if (raw === undefined) {
    return finding(
      'LAUNCH-SA-NOT-ANNOTATED',
      `ServiceAccount ${namespace}/${name} has no ${ROLE_ARN_ANNOTATION} annotation, so the webhook will not inject IRSA (EKS Pod Identity needs none: the agent run shows which applies).`,
      { status: 'warn', variant: 'one', fix: { namespace, serviceAccount: name } },
    );
  }
  const parsed = parseRoleArn(raw);
  if (!parsed.ok) {
    return finding(
      'LAUNCH-SA-ARN-INVALID',
      `The ${ROLE_ARN_ANNOTATION} annotation of ${namespace}/${name} is not a well-formed role ARN: ${parsed.problems.map((p) => p.message).join('; ')}.`,
      {
        fix: { namespace, serviceAccount: name, suggestion: suggestedRoleArn(raw) },
        details: { annotation: raw, problems: parsed.problems.map((p) => p.code) },
      },
    );
  }
  return finding('LAUNCH-SA-OK', `ServiceAccount ${namespace}/${name} is annotated with ${parsed.arn.arn}.`, {
    details: { roleArn: parsed.arn.arn },
  });
}
