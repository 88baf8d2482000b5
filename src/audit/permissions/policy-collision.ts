// How OpenSearch Service combines the domain access policy with the caller's identity policies (the
// service guide's "When policies collide"): in one account an allow in either suffices and an explicit
// deny in either wins; across accounts both must allow. Pure.
import type { DomainSay, Say } from './domain-policy-verdict.js';

export type AccessOutcome =
  | 'ok'
  /** the domain policy denies explicitly */
  | 'domain-deny'
  /** the domain policy says nothing, and that is what blocks */
  | 'domain-silent'
  | 'identity-deny'
  /** the role's policies say nothing where they must allow: across accounts, or under an account grant */
  | 'identity-silent';

export function accessOutcome(domain: DomainSay, identity: Say, sameAccount: boolean): AccessOutcome {
  // The domain policy is named first when both sides block: it is the one the domain's owner reads.
  if (domain === 'deny') return 'domain-deny';
  if (!sameAccount && domain === 'silent') return 'domain-silent';
  if (identity === 'deny') return 'identity-deny';
  if (identity === 'allow') return 'ok';
  // The role's policies are silent: only a domain policy naming the role (or anyone) in its own
  // account lets it in; an account grant (or any grant across accounts) defers to those policies.
  if (domain === 'allow' && sameAccount) return 'ok';
  return domain === 'silent' ? 'domain-silent' : 'identity-silent';
}

/** Every outcome the possible answers of each side lead to: one outcome is a verdict, several are not. */
export function possibleOutcomes(
  domain: DomainSay[],
  identity: Say[],
  sameAccount: boolean,
): AccessOutcome[] {
  const out = new Set<AccessOutcome>();
  for (const d of domain) for (const i of identity) out.add(accessOutcome(d, i, sameAccount));
  return [...out];
}
