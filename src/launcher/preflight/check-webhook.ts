import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { MutationExpectation } from '../pod/check-mutation.js';

export const WEBHOOK_CONFIGURATION = 'pod-identity-webhook';

export interface WebhookState {
  finding: Finding;
  state: MutationExpectation['webhook'];
  /**
   * The first call of the run failed for another reason than RBAC: no answer, an answer that is not
   * Kubernetes, refused credentials, a server error. Preflight stops on it instead of paying another
   * deadline per call or believing the next answer.
   */
  stop?: KubeError;
}

/**
 * Cluster-wide and identical for every ServiceAccount, so --all asks once. `kube` carries the
 * run's signal and preflight deadline.
 */
export async function checkWebhook(kube: KubeClient): Promise<WebhookState> {
  try {
    const cfg = await kube.readWebhookConfiguration(WEBHOOK_CONFIGURATION);
    const hooks = (cfg.webhooks ?? []).map((w) => w.name);
    return {
      state: 'present',
      finding: finding('LAUNCH-WEBHOOK-OK', `MutatingWebhookConfiguration ${WEBHOOK_CONFIGURATION} exists.`, {
        details: { webhooks: hooks },
      }),
    };
  } catch (e) {
    const err = e instanceof KubeError ? e : undefined;
    if (err?.notFound) {
      return {
        state: 'missing',
        finding: finding(
          'LAUNCH-WEBHOOK-MISSING',
          `MutatingWebhookConfiguration ${WEBHOOK_CONFIGURATION} does not exist: nothing injects IRSA credentials into new pods.`,
        ),
      };
    }
    const why = err?.forbidden
      ? 'RBAC does not allow reading mutatingwebhookconfigurations'
      : (err?.message ?? String(e));
    return {
      state: 'unknown',
      finding: finding(
        'LAUNCH-WEBHOOK-UNCHECKED',
        `Did not check MutatingWebhookConfiguration ${WEBHOOK_CONFIGURATION}: ${why}.`,
      ),
      ...(err && !err.forbidden ? { stop: err } : {}),
    };
  }
}
