// What the SDK's default Node chain really hands an application in this pod, resolved once per run.
//
// Which provider won is read from evidence, not guessed from env. In @aws-sdk/credential-providers
// 3.1169 (read from node_modules) the providers tag the credentials' `$source` with feature flags:
//   fromEnv                        CREDENTIALS_ENV_VARS
//   fromIni (any profile kind)     CREDENTIALS_PROFILE* (plus CREDENTIALS_STS_ASSUME_ROLE* when it assumes)
//   fromProcess                    CREDENTIALS_PROCESS
//   fromTokenFile (env vars)       CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN + CREDENTIALS_STS_ASSUME_ROLE_WEB_ID
//   fromHttp (container/Pod Id.)   CREDENTIALS_HTTP
//   fromInstanceMetadata           CREDENTIALS_IMDS, but only the credential-providers wrapper sets it:
//     credential-provider-node calls @smithy/credential-provider-imds directly (fromInstanceMetadata, and
//     fromContainerMetadata after fromHttp), and those leave `$source` empty.
// So an untagged result came from the chain's remote step, which picks container credentials when
// AWS_CONTAINER_CREDENTIALS_{FULL,RELATIVE}_URI is set and IMDS otherwise. GetCallerIdentity then
// names the identity: a node role via IMDS shows as assumed-role/<NodeInstanceRole>/i-<instance id>.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { parseAssumedRoleArn } from '../../lib/arn.js';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import { registerSecret } from '../../lib/redact.js';
import { httpHandlerSettings, SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import type { AgentContext } from '../context.js';
import {
  classifyStsError,
  type StsClassification,
  type StsErrorFacts,
  stsErrorFacts,
} from '../sts/classify-sts-error.js';
import { readSharedConfig } from './shared-config.js';
import { loadPodIdentityToken, loadToken, type TokenLoad } from './token.js';
import { type AwsCredentials, getCallerIdentity, STS_STEP_MS, stsRegion } from './web-identity.js';

export type ChainSource =
  | 'env'
  | 'shared-config'
  | 'process'
  | 'web-identity'
  | 'container'
  | 'imds'
  | 'unknown';

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
    };

type TokenEnvVar = 'AWS_WEB_IDENTITY_TOKEN_FILE' | 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';

/** Resolves credentials through the SDK's default Node chain once per run and identifies the winner. */
export function chainCredentials(ctx: AgentContext): Promise<ChainResult> {
  return ctx.shared('chain-credentials', () => resolve(ctx));
}

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
  const ms = stepBudget(ctx, STS_STEP_MS);
  const { region } = stsRegion(ctx);
  // IMDS may take three sequential requests (token PUT, role list, credentials); each gets a third.
  const metadataTimeout = Math.max(1, Math.min(SDK_METADATA_TIMEOUT_MS, Math.floor(ms / 3)));
  const provider = fromNodeProviderChain({
    timeout: metadataTimeout,
    maxRetries: 0,
    clientConfig: { region, maxAttempts: 1, requestHandler: httpHandlerSettings(ms) },
  });
  let creds: Awaited<ReturnType<typeof provider>>;
  try {
    creds = await withDeadline(provider(), ms, 'default credential chain', ctx.deadline.signal);
  } catch (e) {
    return failure(e);
  }
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
    isNodeRole: source === 'imds' || (session !== undefined && /^i-[0-9a-f]{8,17}$/.test(session)),
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
  if ((await readSharedConfig(env)).shadows.length > 0) return undefined;
  const load: TokenLoad =
    envVar === 'AWS_WEB_IDENTITY_TOKEN_FILE' ? await loadToken(ctx) : await loadPodIdentityToken(ctx);
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

export function sourceOf(
  features: readonly string[],
  env: AgentContext['env'],
): { source: ChainSource; inferredFrom?: string } {
  const has = (f: string) => features.includes(f);
  if (features.some((f) => f.startsWith('CREDENTIALS_PROFILE') || f.startsWith('CREDENTIALS_SSO')))
    return { source: 'shared-config' };
  if (has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN') || has('CREDENTIALS_STS_ASSUME_ROLE_WEB_ID'))
    return { source: 'web-identity' };
  if (has('CREDENTIALS_ENV_VARS')) return { source: 'env' };
  if (has('CREDENTIALS_PROCESS')) return { source: 'process' };
  if (has('CREDENTIALS_HTTP')) return { source: 'container' };
  if (has('CREDENTIALS_IMDS')) return { source: 'imds' };
  if (features.length > 0) return { source: 'unknown' };
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    return {
      source: 'container',
      inferredFrom: 'untagged credentials from the remote step with container URI set',
    };
  return {
    source: 'imds',
    inferredFrom: 'untagged credentials from the remote step (no container URI): IMDS',
  };
}

function failure(e: unknown): ChainResult {
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

export type MetadataResponse =
  | { kind: 'response'; status: number; body: string; ms: number }
  | { kind: 'timeout'; phase: 'connect' | 'response'; ms: number }
  | { kind: 'error'; errno: string; detail: string; ms: number };

/**
 * One bounded HTTP request to a link-local metadata endpoint (IMDS, the Pod Identity agent). The
 * socket is destroyed at the deadline so a silent endpoint cannot keep the process alive. Bodies are
 * capped at 4 KiB; callers never ask for credential documents.
 */
export function metadataRequest(
  url: string,
  opts: { method?: 'GET' | 'PUT'; headers?: Record<string, string>; timeoutMs: number },
): Promise<MetadataResponse> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((done) => {
    let connected = false;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
        method: opts.method ?? 'GET',
        headers: opts.headers,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      done({ kind: 'error', errno: err.code ?? 'ERR_INVALID_URL', detail: err.message, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      done({ kind: 'timeout', phase: connected ? 'response' : 'connect', ms: ms() });
      req.destroy();
    }, opts.timeoutMs);
    req.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ kind: 'error', errno: e.code ?? e.name, detail: e.message, ms: ms() });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 4096) body += d.slice(0, 4096 - body.length);
      });
      res.on('end', () => {
        clearTimeout(timer);
        done({ kind: 'response', status: res.statusCode ?? 0, body, ms: ms() });
        req.destroy();
      });
      res.on('error', () => {});
    });
    req.end();
  });
}

export interface ContainerProbe {
  url: string;
  answered: boolean;
  response: MetadataResponse;
  detail: string;
}

/**
 * Whether the container credentials endpoint (the EKS Pod Identity agent) answers HTTP at all. Sent
 * without the token: the agent answers 400 to that, which proves the path works and spends nothing.
 */
export function probeContainerEndpoint(ctx: AgentContext): Promise<ContainerProbe> {
  return ctx.shared('container-endpoint-probe', async () => {
    const url = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      ? ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      : `http://169.254.170.2${ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? ''}`;
    let response: MetadataResponse;
    try {
      new URL(url);
      response = await metadataRequest(url, { timeoutMs: stepBudget(ctx, SDK_METADATA_TIMEOUT_MS * 2) });
    } catch (e) {
      response = { kind: 'error', errno: 'ERR_INVALID_URL', detail: (e as Error).message, ms: 0 };
    }
    const detail =
      response.kind === 'response'
        ? `answered HTTP ${response.status}`
        : response.kind === 'timeout'
          ? response.phase === 'connect'
            ? `no TCP connection within ${response.ms} ms`
            : `connected, but no HTTP answer within ${response.ms} ms`
          : `${response.errno}: ${response.detail}`;
    return { url, answered: response.kind === 'response', response, detail };
  });
}
