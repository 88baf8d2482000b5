import type { Check } from '../checks/check.js';
import type { AuditContext } from './audit-context.js';

/** A check of the audit: run for one ServiceAccount, from outside the pod. */
export type AuditCheck = Check<AuditContext>;
