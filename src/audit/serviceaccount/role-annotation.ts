// What a ServiceAccount's annotations say about its IAM role, and what a near miss of the key looks like.
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { type ArnProblem, parseRoleArn, type RoleArn } from '../../lib/arn.js';

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

export type RoleAnnotation =
  | { state: 'valid'; raw: string; arn: RoleArn }
  | { state: 'invalid'; raw: string; problems: ArnProblem[] }
  /** A key that is almost the role annotation: the webhook reads only the exact key. */
  | { state: 'typo'; key: string; raw: string }
  | { state: 'absent' };

export function roleAnnotationOf(sa: V1ServiceAccount): RoleAnnotation {
  const annotations = sa.metadata?.annotations ?? {};
  const raw = annotations[ROLE_ARN_ANNOTATION];
  if (raw !== undefined) {
    const parsed = parseRoleArn(raw);
    return parsed.ok
      ? { state: 'valid', raw, arn: parsed.arn }
      : { state: 'invalid', raw, problems: parsed.problems };
  }
  const typo = Object.keys(annotations).find(isRoleAnnotationTypo);
  return typo ? { state: 'typo', key: typo, raw: annotations[typo]! } : { state: 'absent' };
}

/** The audience the webhook projects the pods' tokens for. */
export function audienceOf(sa: V1ServiceAccount): string {
  return sa.metadata?.annotations?.[AUDIENCE_ANNOTATION]?.trim() || DEFAULT_AUDIENCE;
}

/**
 * Near misses people type: eks.amazon.com/role-arn, eks.amazonaws.com/role_arn, .../rolearn, roleArn,
 * a missing or doubled dot, iam.amazonaws.com/role (kiam's), amazonaws.com/role-arn. Compared after
 * dropping case, separators and the words "aws"/"amazon", and by edit distance for plain typos.
 */
export function isRoleAnnotationTypo(key: string): boolean {
  if (key === ROLE_ARN_ANNOTATION) return false;
  const squash = (k: string) => k.toLowerCase().replace(/[^a-z]/g, '');
  const k = squash(key);
  if (!k.includes('role')) return false;
  if (k === squash(ROLE_ARN_ANNOTATION)) return true;
  if (/^(eks|iam)?(amazonaws|amazon|aws)?(com)?(iam)?role(arn)?$/.test(k)) return true;
  return editDistance(key.toLowerCase(), ROLE_ARN_ANNOTATION) <= 3;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
