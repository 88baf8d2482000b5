// How OpenSearch Service combines the domain access policy with the caller's identity policies (the
// service guide's "When policies collide"): in one account an allow in either suffices and an explicit
// deny in either wins; across accounts both must allow. Pure.
import type { Say } from './domain-policy-verdict.js';

export type AccessOutcome =
  | 'ok'
  /** the domain policy denies explicitly */
  | 'domain-deny'
  /** the domain policy says nothing, and that is what blocks */
  | 'domain-silent'
  | 'identity-deny'
  /** the role's policies say nothing while the domain is in another account */
  | 'identity-silent';

export function accessOutcome(domain: Say, identity: Say, sameAccount: boolean): AccessOutcome {
  if (domain === 'deny') return 'domain-deny';
  if (identity === 'deny') return 'identity-deny';
  if (sameAccount) return domain === 'allow' || identity === 'allow' ? 'ok' : 'domain-silent';
  if (domain !== 'allow') return 'domain-silent';
  return identity === 'allow' ? 'ok' : 'identity-silent';
}

/** Every outcome the possible answers of each side lead to: one outcome is a verdict, several are not. */
export function possibleOutcomes(domain: Say[], identity: Say[], sameAccount: boolean): AccessOutcome[] {
  const out = new Set<AccessOutcome>();
  for (const d of domain) for (const i of identity) out.add(accessOutcome(d, i, sameAccount));
  return [...out];
}
