import type { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { apiError } from '../api-error.js';
import { podSecurityFinding, violatesPodSecurity } from './pod-security-finding.js';

/** Why the API server refused `POST .../jobs`, as a finding. */
export function jobCreateError(err: KubeError, namespace: string, job: string): Finding {
  // Whatever answered was not the API server: its status says nothing about admission or RBAC.
  if (err.notKubernetes) return apiError(err, `creating the Job in ${namespace}`, namespace);
  if (err.notFound && /namespaces? "/.test(err.message)) {
    return finding('LAUNCH-NAMESPACE-MISSING', `Cannot create the Job: ${err.message}.`, {
      fix: { namespace },
    });
  }
  const rbac = err.forbidden && /cannot create resource/i.test(err.message);
  const refused = err.status === 422 || err.status === 403 || err.status === 400;
  // Policy engines that apply the Pod Security Standards to pod templates (Kyverno's podSecurity
  // rule) refuse the Job itself, in Pod Security admission's words: same cause, same fix.
  if (!rbac && refused && violatesPodSecurity(err.message))
    return podSecurityFinding(err.message, namespace, job, 'job');
  if (!rbac && refused) {
    return finding('LAUNCH-JOB-REJECTED', `The API server refused the Job in ${namespace}: ${err.message}`, {
      variant: /exceeded quota/i.test(err.message) ? 'quota' : 'policy',
      fix: { namespace },
      details: { status: err.status, reason: err.reason },
    });
  }
  return apiError(err, `creating the Job in ${namespace}`, namespace);
}
