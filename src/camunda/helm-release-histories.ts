import { type HelmReleaseStatus, toHelmReleaseStatus } from './helm-release.js';
import type { SecretLike } from './kube-objects.js';

/**
 * Groups Helm's release Secrets by release and finds the revision Helm itself calls deployed:
 * the highest revision labelled `status=deployed` (helm/helm pkg/storage/storage.go `Deployed`,
 * which also tolerates several deployed revisions after concurrent upgrades). Only labels are read;
 * nothing is decoded here.
 */

export interface HelmRevisionRef {
  readonly secretName: string;
  readonly revision: number;
  /** From the Secret's `status` label, which is what Helm queries. */
  readonly status: HelmReleaseStatus;
  readonly secret: SecretLike;
}

export interface HelmReleaseHistory {
  readonly name: string;
  /** The newest revision labelled deployed; absent when none is (a first install that failed). */
  readonly deployed?: HelmRevisionRef;
  /** The highest revision whatever its status. */
  readonly latest: HelmRevisionRef;
  /** Revisions above the deployed one, newest first: an upgrade that failed or is still pending. */
  readonly newer: readonly HelmRevisionRef[];
  readonly revisions: number;
}

const SECRET_NAME = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

export function helmReleaseHistories(secrets: readonly SecretLike[]): HelmReleaseHistory[] {
  const byName = new Map<string, HelmRevisionRef[]>();
  for (const secret of secrets) {
    const ref = revisionOf(secret);
    if (!ref) continue;
    const list = byName.get(ref.name) ?? [];
    list.push(ref.ref);
    byName.set(ref.name, list);
  }
  const out: HelmReleaseHistory[] = [];
  for (const [name, refs] of [...byName.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    refs.sort((a, b) => b.revision - a.revision);
    const deployed = refs.find((r) => r.status === 'deployed');
    const newer = deployed ? refs.filter((r) => r.revision > deployed.revision) : [];
    out.push({ name, latest: refs[0]!, newer, revisions: refs.length, ...(deployed ? { deployed } : {}) });
  }
  return out;
}

function revisionOf(secret: SecretLike): { name: string; ref: HelmRevisionRef } | undefined {
  const labels = secret.metadata?.labels ?? {};
  if (labels.owner !== 'helm') return undefined;
  if (secret.type !== undefined && secret.type !== 'helm.sh/release.v1') return undefined;
  const secretName = secret.metadata?.name ?? '';
  const m = SECRET_NAME.exec(secretName);
  const name = labels.name || m?.[1];
  const revisionText = labels.version ?? m?.[2];
  if (!name || !revisionText || !/^\d{1,9}$/.test(revisionText)) return undefined;
  return {
    name,
    ref: { secretName, revision: Number(revisionText), status: toHelmReleaseStatus(labels.status), secret },
  };
}
