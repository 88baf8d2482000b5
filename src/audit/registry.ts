import { assumeCheck } from './assume/assume-check.js';
import type { AuditCheck } from './audit-check.js';
import type { AuditOptions } from './audit-options.js';
import { cloudTrailCheck } from './cloudtrail/cloudtrail-check.js';
import { clusterCheck } from './cluster/cluster-check.js';
import { nodesCheck } from './nodes/nodes-check.js';
import { permissionsCheck } from './permissions/permissions-check.js';
import { podIdentityCheck } from './pod-identity/pod-identity-check.js';
import { podsCheck } from './pods/pods-check.js';
import { serviceAccountCheck } from './serviceaccount/serviceaccount-check.js';
import { trustCheck } from './trust/trust-check.js';

/**
 * Every check of the audit, in report order: the ServiceAccount and its pods (Kubernetes), then the
 * cluster's OIDC provider and the role's trust policy (EKS, IAM), then permissions on the exact
 * resources, EKS Pod Identity, the nodes' IMDS settings and what CloudTrail saw; last the proof with a
 * real token, which runs only with --assume.
 */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  serviceAccountCheck,
  podsCheck,
  clusterCheck,
  trustCheck,
  permissionsCheck,
  podIdentityCheck,
  nodesCheck,
  cloudTrailCheck,
  assumeCheck,
];

/** The checks one audit runs: --assume obtains real credentials, so its check runs only when asked. */
export function auditChecksFor(options: Pick<AuditOptions, 'assume'>): readonly AuditCheck[] {
  return options.assume ? AUDIT_CHECKS : AUDIT_CHECKS.filter((c) => c !== assumeCheck);
}
