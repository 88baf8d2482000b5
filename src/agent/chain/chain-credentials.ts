// What the SDK's default Node chain really hands an application in this pod, resolved once per run.
// Which provider won is read from the SDK's own evidence, not guessed from env (see chain-source.ts).
import { parseAssumedRoleArn } from '../../lib/assumed-role-arn.js';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import type { ProxyFailure } from '../../lib/proxy/proxy-router.js';
import { registerSecret } from '../../lib/redact.js';
import { agentSdk } from '../aws/agent-sdk.js';
import { endpointUrlProblem } from '../aws/endpoint-url-problem.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget, stsEndpointOf } from '../aws/sdk-options.js';
import type { AgentContext } from '../context.js';
import { sharedConfig } from '../env/shared-config.js';
import { fact } from '../fact.js';
import { openNetworkPath } from '../net/network-path.js';
import { probeContainerEndpoint } from '../pod-identity/probe-container-endpoint.js';
import {
  classifyStsError,
  type StsClassification,
  type StsErrorFacts,
  stsErrorFacts,
} from '../sts/classify-sts-error.js';
import { type AwsCredentials, getCallerIdentity, STS_STEP_MS, stsRegion } from '../sts/web-identity.js';
import { irsaToken, podIdentityToken, type TokenLoad } from '../token/token-files.js';
import { type ChainSource, sourceOf } from './chain-source.js';

export interface ChainIdentity {
  ok: true;
  source: ChainSource;
  /** Secrets inside are registered with registerSecret; never put them in findings. */
  credentials: AwsCredentials;
  /** From GetCallerIdentity; absent when that call failed (see identityError). */
  callerArn?: string;
  account?: string;
  /** The node's instance role (via IMDS) rather than a pod-level role. */
  isNodeRole: boolean;
  /** The `$source` feature flags the SDK attached, and whether the source had to be inferred. */
  evidence: { sdkFeatures: string[]; inferredFrom?: string };
  identityError?: StsErrorFacts;
}

export type ChainFailureReason = 'no-credentials' | 'provider-error' | 'timeout' | 'container-unreachable';

export type ChainResult =
  | ChainIdentity
  | {
      ok: false;
      reason: ChainFailureReason;
      detail: string;
      /** Set when the failing provider talked to STS (web identity): what STS said. */
      error?: StsErrorFacts;
      classification?: StsClassification;
      /** Set when the chain was not run because the token file it would read is unusable. */
      tokenFile?: { envVar: TokenEnvVar; reason: string };
      /** Set when the chain's STS call failed at the proxy (down, 407, refused), not at STS. */
      proxyFailure?: ProxyFailure;
    };

type TokenEnvVar = 'AWS_WEB_IDENTITY_TOKEN_FILE' | 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';

/** Resolves credentials through the SDK's default Node chain once per run and identifies the winner. */
export const chainCredentials = fact('chain-credentials', (ctx) => resolve(ctx));

async function resolve(ctx: AgentContext): Promise<ChainResult> {
  const env = ctx.env;
  const webIdentityConfigured = Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN);
  const unusable = await unusableTokenFile(ctx, webIdentityConfigured);
  if (unusable) return unusable;
  // fromHttp only warns when a connected endpoint never answers, and keeps the socket (and this
  // process) alive; probe the container endpoint first so a silent agent costs one bounded probe.
  if (
    !webIdentityConfigured &&
    (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
  ) {
    const probe = await probeContainerEndpoint(ctx);
    if (!probe.answered)
      return {
        ok: false,
        reason: 'container-unreachable',
        detail: `container credentials endpoint ${probe.url}: ${probe.detail}`,
      };
  }
  const { region } = await stsRegion(ctx);
  const { fromNodeProviderChain, capEverySdkHandler, sdkClientSettings } = await agentSdk();
  const ms = stepBudget(ctx, STS_STEP_MS);
  // IMDS may take three sequential requests (token PUT, role list, credentials); each gets a third.
  const metadataTimeout = Math.max(1, Math.min(SDK_METADATA_TIMEOUT_MS, Math.floor(ms / 3)));
  // The chain's container provider (fromHttp) builds its own HTTP handler: make it one that caps bodies
  // and honours the proxy variables like every other request of the agent.
  capEverySdkHandler(ctx.env);
  const path = openNetworkPath(ctx, stsEndpointOf(ctx, region).url, ms, { probeDirect: false });
  const provider = fromNodeProviderChain({
    timeout: metadataTimeout,
    maxRetries: 0,
    clientConfig: sdkClientSettings(region, ms, path.router),
  });
  let creds: Awaited<ReturnType<typeof provider>>;
  try {
    creds = await withDeadline(provider(), ms, 'default credential chain', ctx.deadline.signal);
  } catch (e) {
    const failed = failure(e, webIdentityConfigured ? stsEndpointSettingProblem(ctx, region) : undefined);
    const { proxyFailure } = await path.settle();
    return proxyFailure && !failed.ok ? { ...failed, proxyFailure } : failed;
  }
  await path.settle();
  registerSecret(creds.secretAccessKey);
  registerSecret(creds.sessionToken);
  const features = Object.keys((creds as { $source?: Record<string, unknown> }).$source ?? {});
  const { source, inferredFrom } = sourceOf(features, env);
  const credentials: AwsCredentials = {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
    ...(creds.expiration ? { expiration: creds.expiration } : {}),
  };
  const who = await getCallerIdentity(ctx, credentials, 'sts:GetCallerIdentity (default chain)');
  const callerArn = who.ok ? who.arn : undefined;
  const session = callerArn ? parseAssumedRoleArn(callerArn)?.sessionName : undefined;
  return {
    ok: true,
    source,
    credentials,
    ...(who.ok ? { callerArn: who.arn, account: who.account } : { identityError: who.error }),
    // An instance-id session names the node role only where IMDS could have been the source: the SDK's
    // evidence that web identity or container credentials won rules IMDS out, whatever STS calls it.
    isNodeRole:
      source === 'imds' ||
      (source !== 'web-identity' &&
        source !== 'container' &&
        session !== undefined &&
        /^i-[0-9a-f]{8,17}$/.test(session)),
    evidence: { sdkFeatures: features, ...(inferredFrom ? { inferredFrom } : {}) },
  };
}

// Failures after which the SDK would hang (FIFO), exhaust memory (/dev/zero, a huge file: it reads
// the token files whole and unbounded, fromTokenFile even synchronously) or send garbage.
const UNUSABLE = new Set(['missing', 'unreadable', 'too-large']);

/**
 * The token file the chain is about to read, when it must not be handed to the SDK. The SDK reaches
 * it only when no earlier source (env keys, the selected profile) answers first.
 */
async function unusableTokenFile(
  ctx: AgentContext,
  webIdentityConfigured: boolean,
): Promise<ChainResult | undefined> {
  const env = ctx.env;
  const container = Boolean(
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
  const envVar: TokenEnvVar | undefined = webIdentityConfigured
    ? 'AWS_WEB_IDENTITY_TOKEN_FILE'
    : container && env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
      ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'
      : undefined;
  if (!envVar) return undefined;
  if ((await sharedConfig(ctx)).shadows.length > 0) return undefined;
  const load: TokenLoad =
    envVar === 'AWS_WEB_IDENTITY_TOKEN_FILE' ? await irsaToken(ctx) : await podIdentityToken(ctx);
  if (load.ok || !(UNUSABLE.has(load.reason) || isBinary(load))) return undefined;
  return {
    ok: false,
    reason: 'provider-error',
    detail: `token file unusable: ${envVar}=${load.path ?? ''}: ${load.detail}`,
    tokenFile: { envVar, reason: load.reason },
  };
}

function isBinary(load: Extract<TokenLoad, { ok: false }>): boolean {
  return load.reason === 'malformed' && /binary/i.test(load.detail);
}

/** Why AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL cannot take the chain's STS call, when it cannot. */
function stsEndpointSettingProblem(ctx: AgentContext, region: string): string | undefined {
  const endpoint = stsEndpointOf(ctx, region);
  if (endpoint.source === 'regional default') return undefined;
  const problem = endpointUrlProblem(endpoint.url);
  return problem ? `${endpoint.source} ${problem}; the web identity exchange never reached STS` : undefined;
}

function failure(e: unknown, endpointProblem?: string): ChainResult {
  // The SDK reports an endpoint setting that is no URL as ERR_INVALID_URL, or a file: URL as a refused
  // connection to port 80: either way the cause is the setting, which the sts check names.
  if (endpointProblem) {
    const error: StsErrorFacts = { name: 'EndpointInvalid', message: endpointProblem };
    return {
      ok: false,
      reason: 'provider-error',
      detail: endpointProblem,
      error,
      classification: { cause: 'STS-ENDPOINT-INVALID' },
    };
  }
  if (e instanceof DeadlineError)
    return { ok: false, reason: 'timeout', detail: `the default chain did not finish within ${e.ms} ms` };
  const error = stsErrorFacts(e);
  if (/could not load credentials from any providers/i.test(error.message))
    return { ok: false, reason: 'no-credentials', detail: error.message, error };
  const classification = classifyStsError(error);
  if (classification.cause === 'STS-UNREACHABLE' && classification.network === 'timeout')
    return { ok: false, reason: 'timeout', detail: error.message, error, classification };
  return { ok: false, reason: 'provider-error', detail: error.message, error, classification };
}
