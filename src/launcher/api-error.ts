import type { KubeError } from '../kube/kube-error.js';
import { finding } from '../report/finding.js';
import type { Finding } from '../report/types.js';

/**
 * Any API failure while launching: an answer that is not Kubernetes says so, forbidden gets the RBAC
 * fix, no answer at all the network fix, the rest the access fix. The message names the API server, since the kubeconfig context may not
 * point where the user thinks.
 */
export function apiError(err: KubeError, doing: string, namespace?: string): Finding {
  if (err.notKubernetes) {
    const at = err.server ? ` at ${err.server}` : '';
    return finding(
      'LAUNCH-API-NOT-KUBERNETES',
      `The server${at} is not answering as a Kubernetes API server (while ${doing}): it ${err.message}.`,
      {
        variant: err.extra.tooLarge !== undefined ? 'tooLarge' : 'shape',
        fix: { server: err.server },
        details: {
          ...(err.server ? { server: err.server } : {}),
          ...(err.status !== undefined ? { status: err.status } : {}),
          problem: err.extra.notKubernetes,
          ...(err.extra.tooLarge !== undefined ? { limitBytes: err.extra.tooLarge } : {}),
        },
      },
    );
  }
  if (err.forbidden && !/admission webhook|denied the request/i.test(err.message)) {
    return finding('LAUNCH-FORBIDDEN', `Forbidden while ${doing}: ${err.message}`, {
      fix: { namespace },
      details: { status: err.status, reason: err.reason },
    });
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
  return finding('LAUNCH-API-ERROR', `The Kubernetes API${at} failed while ${doing}: ${err.message}`, {
    variant: err.credentials
      ? 'credentials'
      : err.status === 401
        ? 'unauthorized'
        : noAnswer === 'timeout'
          ? 'noAnswer'
          : 'other',
    fix: { server: err.server },
    details: Object.keys(details).length > 0 ? details : undefined,
  });
}
