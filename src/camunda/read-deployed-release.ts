import {
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits,
  type DecodeProblem,
  decodeHelmRelease,
} from './decode-helm-release.js';
import type { HelmRelease } from './helm-release.js';
import { type HelmReleaseHistory, helmReleaseHistories } from './helm-release-histories.js';
import type { SecretLike } from './kube-objects.js';

/**
 * Finds the Camunda release among a namespace's Helm Secrets and decodes its deployed revision.
 * Without a name, every deployed release is decoded and the ones of the Camunda chart are kept,
 * because labels do not say which chart a release is.
 */

export const CAMUNDA_CHART_NAME = 'camunda-platform';

export type ReadReleaseProblem =
  | 'no-release'
  | 'no-deployed-revision'
  | 'ambiguous'
  | 'not-camunda'
  | DecodeProblem;

export type ReadReleaseResult =
  | {
      readonly ok: true;
      readonly release: HelmRelease;
      readonly history: HelmReleaseHistory;
      readonly compressed: boolean;
    }
  | {
      readonly ok: false;
      readonly problem: ReadReleaseProblem;
      readonly message: string;
      /** Release names involved (the candidates when ambiguous). */
      readonly releases: readonly string[];
      readonly history?: HelmReleaseHistory;
    };

export interface ReadReleaseOptions {
  readonly releaseName?: string;
  readonly chartName?: string;
  readonly limits?: DecodeLimits;
  /** Hears every password-like value decoding removes (see redactValues). */
  readonly onSecret?: (value: string) => void;
}

export function readDeployedRelease(
  secrets: readonly SecretLike[],
  opts: ReadReleaseOptions = {},
): ReadReleaseResult {
  const chartName = opts.chartName ?? CAMUNDA_CHART_NAME;
  const limits = opts.limits ?? DEFAULT_DECODE_LIMITS;
  const histories = helmReleaseHistories(secrets);
  if (opts.releaseName !== undefined) {
    const history = histories.find((h) => h.name === opts.releaseName);
    if (!history) {
      return failure('no-release', `no Helm release named ${opts.releaseName} in the namespace`, [
        opts.releaseName,
      ]);
    }
    return decodeChosen(history, chartName, limits, opts.onSecret);
  }
  const found: Array<{ history: HelmReleaseHistory; result: ReadReleaseResult }> = [];
  const undecodable: string[] = [];
  let decodeFailure: ReadReleaseResult | undefined;
  for (const history of histories) {
    if (!history.deployed) continue;
    const result = decodeChosen(history, chartName, limits, opts.onSecret);
    if (result.ok) found.push({ history, result });
    else if (result.problem !== 'not-camunda') {
      undecodable.push(history.name);
      decodeFailure = result;
    }
  }
  if (found.length === 1) return found[0]!.result;
  if (found.length > 1) {
    const names = found.map((f) => f.history.name);
    return failure('ambiguous', `${names.length} ${chartName} releases are deployed; name one`, names);
  }
  // One release that could not be decoded is most likely the Camunda one: say why, not "none".
  if (found.length === 0 && undecodable.length === 1 && decodeFailure) return decodeFailure;
  const pendingOnly = histories.filter((h) => !h.deployed).map((h) => h.name);
  if (pendingOnly.length > 0 && undecodable.length === 0) {
    return failure(
      'no-deployed-revision',
      `release(s) ${pendingOnly.join(', ')} have no deployed revision`,
      pendingOnly,
    );
  }
  const suffix = undecodable.length ? ` (could not decode: ${undecodable.join(', ')})` : '';
  return failure('no-release', `no deployed ${chartName} release in the namespace${suffix}`, undecodable);
}

function decodeChosen(
  history: HelmReleaseHistory,
  chartName: string,
  limits: DecodeLimits,
  onSecret?: (value: string) => void,
): ReadReleaseResult {
  if (!history.deployed) {
    return failure(
      'no-deployed-revision',
      `release ${history.name} has no deployed revision (latest is ${history.latest.revision}, ${history.latest.status})`,
      [history.name],
      history,
    );
  }
  const decoded = decodeHelmRelease(history.deployed.secret.data?.release, limits, onSecret);
  if (!decoded.ok) {
    return failure(
      decoded.problem,
      `${history.deployed.secretName}: ${decoded.message}`,
      [history.name],
      history,
    );
  }
  if (decoded.release.chart.name !== chartName) {
    return failure(
      'not-camunda',
      `release ${history.name} is chart ${decoded.release.chart.name}, not ${chartName}`,
      [history.name],
      history,
    );
  }
  return { ok: true, release: decoded.release, history, compressed: decoded.compressed };
}

function failure(
  problem: ReadReleaseProblem,
  message: string,
  releases: readonly string[],
  history?: HelmReleaseHistory,
): ReadReleaseResult {
  return { ok: false, problem, message, releases, ...(history ? { history } : {}) };
}
