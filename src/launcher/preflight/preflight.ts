import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeError } from '../../kube/kube-error.js';
import { parseRoleArn, suggestedRoleArn } from '../../lib/arn.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { apiError } from '../api-error.js';
import type { MutationExpectation } from '../pod/check-mutation.js';
import type { PodIdentityListing } from '../pod-identity-service-accounts.js';
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
 * Whether the ServiceAccount has an EKS Pod Identity association: known (a sweep listed them), or a
 * lookup a single run makes only for a ServiceAccount without a role-arn annotation (it asks EKS with
 * the launcher's own AWS credentials; see pod-identity-service-accounts.ts).
 */
export type PodIdentityKnown = boolean | (() => Promise<PodIdentityListing>);

/**
 * Namespace, ServiceAccount and its annotation, before any Job exists. With an EKS Pod Identity
 * association (`podIdentity`) a missing annotation is no warning.
 */
export async function preflight(
  kube: KubeClient,
  namespace: string,
  serviceAccount: string,
  webhook: WebhookState | undefined,
  known: PodIdentityKnown = false,
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
  let podIdentity = known === true;
  let asked: PodIdentityListing | undefined;
  if (typeof known === 'function' && sa && !annotated) {
    asked = await known();
    podIdentity = asked.ok && asked.serviceAccounts.has(`${namespace}/${serviceAccount}`);
  }
  if (sa && (annotated || !podIdentity))
    findings.push(annotationFinding(sa, namespace, serviceAccount, expectation, asked));
  else if (sa) expectation.annotated = false;
  if (podIdentity)
    findings.push(
      finding(
        'LAUNCH-SA-POD-IDENTITY',
        `ServiceAccount ${namespace}/${serviceAccount} has an EKS Pod Identity association${asked?.ok ? ` in EKS cluster ${asked.cluster}` : ''}${annotated ? ', which takes precedence over its role-arn annotation' : ''}.`,
        asked?.ok ? { details: { podIdentityCluster: asked.cluster } } : {},
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

/** `asked`: what EKS said about Pod Identity associations, when it was asked (a single run). */
function annotationFinding(
  sa: V1ServiceAccount,
  namespace: string,
  name: string,
  expectation: MutationExpectation,
  asked?: PodIdentityListing,
): Finding {
  const raw = sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  expectation.annotated = raw !== undefined;
  if (raw === undefined) {
    const noIrsa = `ServiceAccount ${namespace}/${name} has no ${ROLE_ARN_ANNOTATION} annotation, so the webhook will not inject IRSA`;
    const unlisted = asked && !asked.ok ? asked.finding.details : undefined;
    return finding(
      'LAUNCH-SA-NOT-ANNOTATED',
      asked?.ok
        ? `${noIrsa}, and EKS cluster ${asked.cluster} has no Pod Identity association for it either.`
        : asked
          ? `${noIrsa}; EKS could not be asked whether it has a Pod Identity association (which needs no annotation): ${asked.why}. The agent run shows which applies.`
          : `${noIrsa} (EKS Pod Identity needs none: the agent run shows which applies).`,
      {
        status: 'warn',
        variant: 'one',
        fix: { namespace, serviceAccount: name },
        ...(asked?.ok ? { details: { podIdentityCluster: asked.cluster } } : {}),
        ...(unlisted ? { details: { podIdentityUnlisted: unlisted } } : {}),
      },
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
