import { fail } from '../report/finding.js';
import type { Finding } from '../report/types.js';
import type { KubeError } from './kube-error.js';

/**
 * Any API failure while launching: forbidden gets the RBAC fix, no answer at all the network fix,
 * the rest the access fix. The message names the API server, since the kubeconfig context may not
 * point where the user thinks.
 */
export function apiError(err: KubeError, doing: string): Finding {
  if (err.forbidden && !/admission webhook|denied the request/i.test(err.message)) {
    return fail(
      'LAUNCH-FORBIDDEN',
      `Forbidden while ${doing}: ${err.message}`,
      'Grant the launcher the permissions in k8s/rbac.yaml (kubectl apply -n NAMESPACE -f k8s/rbac.yaml, binding your user or ServiceAccount), then rerun.',
      { status: err.status, reason: err.reason },
    );
  }
  const at = err.server ? ` at ${err.server}` : '';
  const noAnswer = err.noAnswer;
  const details: Record<string, unknown> = {
    ...(err.server ? { server: err.server } : {}),
    ...(err.status ? { status: err.status } : {}),
    ...(err.reason ? { reason: err.reason } : {}),
    ...(noAnswer ? { noAnswer } : {}),
    ...(err.extra.timeoutMs !== undefined ? { timeoutMs: err.extra.timeoutMs } : {}),
  };
  return fail(
    'LAUNCH-API-ERROR',
    `The Kubernetes API${at} failed while ${doing}: ${err.message}`,
    err.status === 401
      ? 'Refresh the kubeconfig credentials (aws eks update-kubeconfig --name CLUSTER) and rerun.'
      : noAnswer === 'timeout'
        ? `Check that this machine reaches ${err.server ?? 'the API server'} (VPN, a private-only EKS endpoint, proxy, security group): kubectl get --raw /version with the same --context; raise --timeout only if the API server is just slow.`
        : `Check access to ${err.server ?? 'the cluster'} (kubectl get --raw /version with the same --context) and rerun.`,
    Object.keys(details).length > 0 ? details : undefined,
  );
}
