/**
 * A Helm 3/4 release as stored in a `sh.helm.release.v1.NAME.vN` Secret (helm/helm
 * pkg/release/v1/release.go), reduced to what discovery needs. `defaults` and `config` are kept as
 * parsed JSON; `config` often holds passwords, so nothing here is meant to be printed wholesale.
 */

/** helm/helm pkg/release/common/status.go; any other string is kept as `unknown`. */
export type HelmReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

export const HELM_RELEASE_STATUSES: readonly HelmReleaseStatus[] = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
];

export function toHelmReleaseStatus(s: unknown): HelmReleaseStatus {
  return HELM_RELEASE_STATUSES.includes(s as HelmReleaseStatus) ? (s as HelmReleaseStatus) : 'unknown';
}

/** Values as Helm holds them: JSON objects. */
export type HelmValues = Readonly<Record<string, unknown>>;

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  /** The revision (`version` in Helm's JSON and labels). */
  readonly revision: number;
  readonly status: HelmReleaseStatus;
  readonly chart: {
    readonly name: string;
    readonly version: string;
    readonly appVersion: string;
  };
  /**
   * The chart's own values.yaml (`chart.values`); subcharts' defaults are not stored in a release.
   * This and `config` are redacted on decoding (redact-values.ts).
   */
  readonly defaults: HelmValues;
  /** The user-supplied values only (`config`). */
  readonly config: HelmValues;
  /** Paths (`config.…`, `defaults.…`) whose password-like values were removed on decoding. */
  readonly redacted: readonly string[];
}
