import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';

/** Pod Security admission's wording, which policy engines (Kyverno's podSecurity rule) reuse. */
export function violatesPodSecurity(message: string): boolean {
  return /violates\s+podsecurity/i.test(message);
}

/**
 * LAUNCH-POD-SECURITY for either refusal: of the pod (FailedCreate event from Pod Security admission)
 * or of the Job itself (a policy engine applying the Pod Security Standards to pod templates).
 */
export function podSecurityFinding(
  message: string,
  ns: string,
  job: string,
  refused: 'pod' | 'job',
): Finding {
  const level = /PodSecurity\s+"([^"]+)"/i.exec(message)?.[1];
  return finding(
    'LAUNCH-POD-SECURITY',
    refused === 'pod'
      ? `Pod Security admission refused the Job's pod: ${message}`
      : `A Pod Security policy refused the Job itself in ${ns}: ${message}`,
    { variant: refused, fix: { namespace: ns }, details: { job, refused, ...(level ? { level } : {}) } },
  );
}
