// One ServiceAccount's web identity exchanges as CloudTrail saw them: refusals grouped by error code,
// newest first. Pure.
import type { WebIdentityEvent } from './web-identity-events.js';

export interface ErrorGroup {
  /** the code without the `Exception` suffix trail records add to some (InvalidIdentityTokenException) */
  code: string;
  count: number;
  newest: Date;
  roles: string[];
}

export interface ExchangeSummary {
  exchanges: number;
  failures: number;
  /** newest group first */
  codes: ErrorGroup[];
  newestFailure?: { time: Date; code: string; message?: string; roleArn?: string };
  newestSuccess?: Date;
  /** the newest exchange of all was granted (records have whole seconds: order, not time, says newest) */
  grantedSinceNewestFailure: boolean;
  /** the same subject from another cluster's issuer (a cluster with the same namespace and name) */
  otherIssuers: number;
}

export function normaliseErrorCode(code: string): string {
  return code.replace(/Exception$/, '');
}

export function summariseExchanges(
  events: readonly WebIdentityEvent[],
  subject: string,
  issuerHost: string | undefined,
): ExchangeSummary {
  let otherIssuers = 0;
  const mine = events.filter((e) => {
    if (e.subject !== subject) return false;
    if (issuerHost && e.provider && !e.provider.includes(issuerHost)) {
      otherIssuers++;
      return false;
    }
    return true;
  });
  // Stable: within one second (a record's precision) the service's newest-first order stands.
  const newestFirst = [...mine].sort((a, b) => b.time.getTime() - a.time.getTime());
  const failed = newestFirst.filter((e) => e.errorCode);
  const groups = new Map<string, ErrorGroup>();
  for (const e of failed) {
    const code = normaliseErrorCode(e.errorCode!);
    const g = groups.get(code) ?? { code, count: 0, newest: e.time, roles: [] };
    g.count++;
    if (e.roleArn && !g.roles.includes(e.roleArn)) g.roles.push(e.roleArn);
    groups.set(code, g);
  }
  const newest = failed[0];
  const success = newestFirst.find((e) => !e.errorCode);
  return {
    exchanges: mine.length,
    failures: failed.length,
    codes: [...groups.values()],
    ...(newest
      ? {
          newestFailure: {
            time: newest.time,
            code: normaliseErrorCode(newest.errorCode!),
            ...(newest.errorMessage ? { message: newest.errorMessage } : {}),
            ...(newest.roleArn ? { roleArn: newest.roleArn } : {}),
          },
        }
      : {}),
    ...(success ? { newestSuccess: success.time } : {}),
    grantedSinceNewestFailure: newest !== undefined && newestFirst[0] !== newest,
    otherIssuers,
  };
}
