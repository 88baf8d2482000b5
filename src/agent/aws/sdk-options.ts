import type { RunDeadline } from '../../lib/deadline.js';
import type { AgentContext } from '../context.js';

/**
 * Shared AWS SDK client settings (the clients' handler is in sdk-client-settings.ts, loaded with the
 * SDK). Every client the agent builds makes ONE attempt and gives up when its step's budget runs out, so
 * a blackholed endpoint costs one deadline, not retries x timeouts.
 *
 * Found by running @smithy/node-http-handler 4.x here: `requestTimeout` alone only logs a warning
 * ("Init client requestHandler with throwOnRequestTimeout=true to turn this into an error") and the
 * request keeps hanging; `throwOnRequestTimeout: true` makes it destroy the socket and throw a
 * `TimeoutError` (code ETIMEDOUT).
 */

/** Time kept back from a step so a check that times out can still report it before the run deadline. */
const REPORT_MARGIN_MS = 250;

/** The SDK's own IMDS / container-credentials timeout (REFERENCE section 7). */
export const SDK_METADATA_TIMEOUT_MS = 1000;

/** A step's budget: at most `maxMs`, and never past the run deadline minus a margin to report. */
export function stepBudget(
  ctx: { deadline: RunDeadline },
  maxMs: number,
  marginMs = REPORT_MARGIN_MS,
): number {
  return Math.max(1, Math.min(ctx.deadline.budget(maxMs), ctx.deadline.remainingMs() - marginMs));
}

/** Fires when the step's own time is up or the run's deadline passes; give it to `client.send`. */
export function stepSignal(ctx: { deadline: RunDeadline }, stepMs: number): AbortSignal {
  return AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(Math.max(1, Math.round(stepMs)))]);
}

export type StsEndpointSource = 'AWS_ENDPOINT_URL_STS' | 'AWS_ENDPOINT_URL' | 'regional default';

/**
 * Where the SDK will send STS calls. The SDK reads the AWS_ENDPOINT_URL_* variables itself (verified:
 * an explicitly constructed STSClient honours AWS_ENDPOINT_URL_STS); this only reports it.
 */
export function stsEndpointOf(ctx: AgentContext, region: string): { url: string; source: StsEndpointSource } {
  const ignore = (ctx.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  if (!ignore && ctx.env.AWS_ENDPOINT_URL_STS)
    return { url: ctx.env.AWS_ENDPOINT_URL_STS, source: 'AWS_ENDPOINT_URL_STS' };
  if (!ignore && ctx.env.AWS_ENDPOINT_URL)
    return { url: ctx.env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { url: `https://sts.${region}.${suffix}`, source: 'regional default' };
}
