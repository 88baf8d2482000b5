import type { V1Pod } from '@kubernetes/client-node';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { CONTAINER_NAME } from '../job/job-manifest.js';

export const TOKEN_VOLUME = 'aws-iam-token';

/** What preflight learned: whether the SA is annotated and whether the webhook configuration exists. */
export interface MutationExpectation {
  /** true: annotated; false: not; undefined: the ServiceAccount could not be read. */
  annotated: boolean | undefined;
  webhook: 'present' | 'missing' | 'unknown';
}

/**
 * Reads the created pod the way the API server stored it, i.e. after admission: did
 * pod-identity-webhook add AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and the aws-iam-token volume?
 */
export function checkMutation(pod: V1Pod, expect: MutationExpectation): Finding | undefined {
  const container = pod.spec?.containers?.find((c) => c.name === CONTAINER_NAME) ?? pod.spec?.containers?.[0];
  const env = new Map((container?.env ?? []).map((e) => [e.name, e.value]));
  const volume = pod.spec?.volumes?.find((v) => v.name === TOKEN_VOLUME);
  const projected = volume?.projected?.sources?.find((s) => s.serviceAccountToken)?.serviceAccountToken;
  const mounted = container?.volumeMounts?.some((m) => m.name === TOKEN_VOLUME);
  const missing = [
    env.has('AWS_ROLE_ARN') ? undefined : 'env AWS_ROLE_ARN',
    env.has('AWS_WEB_IDENTITY_TOKEN_FILE') ? undefined : 'env AWS_WEB_IDENTITY_TOKEN_FILE',
    projected ? undefined : `projected volume ${TOKEN_VOLUME}`,
    mounted ? undefined : `volumeMount ${TOKEN_VOLUME}`,
  ].filter((m): m is string => m !== undefined);
  const podName = pod.metadata?.name ?? 'POD';
  const runsAs = { namespace: pod.metadata?.namespace, serviceAccount: pod.spec?.serviceAccountName };
  if (missing.length === 0) {
    return finding(
      'LAUNCH-MUTATED',
      `The webhook injected IRSA into pod ${podName} (role ${env.get('AWS_ROLE_ARN')}).`,
      {
        details: {
          roleArn: env.get('AWS_ROLE_ARN'),
          audience: projected?.audience,
          expirationSeconds: projected?.expirationSeconds,
        },
      },
    );
  }
  if (expect.annotated !== true) return undefined;
  if (env.has('AWS_CONTAINER_CREDENTIALS_FULL_URI')) {
    return finding(
      'LAUNCH-NOT-MUTATED',
      `Pod ${podName} got EKS Pod Identity instead of IRSA: an EKS Pod Identity association for this ServiceAccount takes precedence over its role-arn annotation.`,
      { status: 'warn', variant: 'podIdentity', fix: runsAs, details: { missing, podIdentity: true } },
    );
  }
  const skipped = pod.metadata?.labels?.['eks.amazonaws.com/skip-pod-identity-webhook'] !== undefined;
  const why =
    expect.webhook === 'missing'
      ? 'the MutatingWebhookConfiguration pod-identity-webhook does not exist, so nothing mutates pods'
      : skipped
        ? 'the pod carries the label eks.amazonaws.com/skip-pod-identity-webhook'
        : expect.webhook === 'present'
          ? 'the MutatingWebhookConfiguration exists, so the webhook is most likely down or unreachable (failurePolicy Ignore lets pods start unmutated), its caBundle is wrong, or it had not yet cached the freshly annotated ServiceAccount'
          : 'the webhook is down, missing or has a bad caBundle (failurePolicy Ignore lets pods start unmutated), or it had not yet cached the freshly annotated ServiceAccount';
  return finding(
    'LAUNCH-NOT-MUTATED',
    `The ServiceAccount is annotated but pod ${podName} lacks ${missing.join(', ')}: ${why}. Every pod of this ServiceAccount created now runs without IRSA.`,
    {
      status: 'fail',
      variant: expect.webhook === 'missing' ? 'webhookMissing' : 'webhook',
      fix: runsAs,
      details: { missing, webhook: expect.webhook },
    },
  );
}
