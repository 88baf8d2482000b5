import type { Check } from '../check.js';
import { postgresLoginCheck } from './postgres-login-check.js';
import { postgresReachabilityCheck } from './postgres-reachability-check.js';

/** The postgres checks, in report order: can the pod reach the endpoint, then can it log in with IAM. */
export const POSTGRES_CHECKS: readonly Check[] = [postgresReachabilityCheck, postgresLoginCheck];
