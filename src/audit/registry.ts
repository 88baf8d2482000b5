import type { AuditCheck } from './audit-check.js';
import { clusterCheck } from './cluster/cluster-check.js';
import { permissionsCheck } from './permissions/permissions-check.js';
import { podsCheck } from './pods/pods-check.js';
import { serviceAccountCheck } from './serviceaccount/serviceaccount-check.js';
import { trustCheck } from './trust/trust-check.js';

/**
 * Every check of the audit, in report order: the ServiceAccount and its pods (Kubernetes), then the
 * cluster's OIDC provider and the role's trust policy (EKS, IAM), then permissions on the exact
 * resources, EKS Pod Identity, the nodes' IMDS settings and what CloudTrail saw.
 */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  serviceAccountCheck,
  podsCheck,
  clusterCheck,
  trustCheck,
  permissionsCheck,
];
