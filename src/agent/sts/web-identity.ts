// The pod's own AssumeRoleWithWebIdentity call, made once per run and shared: the sts check reports
// it, the identity check signs GetCallerIdentity with its credentials.
import { withDeadline } from '../../lib/deadline.js';
import { registerSecret } from '../../lib/redact.js';
import { agentSdk } from '../aws/agent-sdk.js';
import { endpointUrlProblem } from '../aws/endpoint-url-problem.js';
import { type StsEndpointSource, stepBudget, stepSignal, stsEndpointOf } from '../aws/sdk-options.js';
import type { AgentContext } from '../context.js';
import { region as regionFact } from '../env/region.js';
import { fact } from '../fact.js';
import { openNetworkPath, type PathOutcome } from '../net/network-path.js';
import { irsaToken, type TokenLoad } from '../token/token-files.js';
import {
  classifyStsError,
  type StsClassification,
  type StsErrorFacts,
  stsErrorFacts,
} from './classify-sts-error.js';
import { credentialsProblem } from './credentials-problem.js';

/** Upper bound for one STS call; the run deadline usually binds first. */
export const STS_STEP_MS = 8000;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Where and how STS was called (no secrets). */
export interface StsCall {
  region: string;
  regionSource: 'pod' | 'default us-east-1';
  endpoint: string;
  endpointSource: StsEndpointSource;
  roleArn: string;
  sessionName: string;
}

type LoadedToken = Extract<TokenLoad, { ok: true }>;

export type WebIdentityResult =
  | { status: 'skipped'; reason: 'no-token-env' | 'token-unusable' | 'no-role-arn'; detail: string }
  /** HTTPS_PROXY / HTTP_PROXY is set but is no usable proxy URL: STS was never called. */
  | { status: 'proxy-invalid'; call: StsCall; token: LoadedToken; path: PathOutcome }
  | {
      status: 'ok';
      call: StsCall;
      token: LoadedToken;
      path: PathOutcome;
      credentials: AwsCredentials;
      assumedRoleArn: string;
      assumedRoleId?: string;
      provider?: string;
      audience?: string;
      subject?: string;
      elapsedMs: number;
    }
  /** AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL is no http(s) URL: STS was never called. */
  | {
      status: 'endpoint-invalid';
      call: StsCall;
      token: LoadedToken;
      envVar: Exclude<StsEndpointSource, 'regional default'>;
      problem: string;
    }
  /** Something answered like STS, but with credentials no STS issues (expired, incomplete). */
  | {
      status: 'bad-credentials';
      call: StsCall;
      token: LoadedToken;
      path: PathOutcome;
      assumedRoleArn: string;
      problem: string;
      expiration?: string;
      elapsedMs: number;
    }
  | {
      status: 'failed';
      call: StsCall;
      token: LoadedToken;
      path: PathOutcome;
      error: StsErrorFacts;
      classification: StsClassification;
      elapsedMs: number;
    };

/** AssumeRoleWithWebIdentity with the pod's token and AWS_ROLE_ARN, once per run. */
export const webIdentity = fact('sts-web-identity', (ctx) => assume(ctx));

/**
 * The region STS calls use (the pod's, including the selected profile's, as the SDK resolves it), and
 * whether it came from the pod or is the SDK's fallback.
 */
export async function stsRegion(
  ctx: AgentContext,
): Promise<{ region: string; source: StsCall['regionSource'] }> {
  const region = (await regionFact(ctx)).value;
  return region ? { region, source: 'pod' } : { region: 'us-east-1', source: 'default us-east-1' };
}

async function assume(ctx: AgentContext): Promise<WebIdentityResult> {
  if (!ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE)
    return { status: 'skipped', reason: 'no-token-env', detail: 'AWS_WEB_IDENTITY_TOKEN_FILE is not set' };
  const roleArn = ctx.env.AWS_ROLE_ARN;
  if (!roleArn) return { status: 'skipped', reason: 'no-role-arn', detail: 'AWS_ROLE_ARN is not set' };
  const token = await irsaToken(ctx);
  if (!token.ok)
    return { status: 'skipped', reason: 'token-unusable', detail: `token ${token.reason}: ${token.detail}` };

  const { region, source } = await stsRegion(ctx);
  const endpoint = stsEndpointOf(ctx, region);
  // Same shape as the SDK's own default (aws-sdk-js-session-<ms>), so CloudTrail shows it is ours.
  const call: StsCall = {
    region,
    regionSource: source,
    endpoint: endpoint.url,
    endpointSource: endpoint.source,
    roleArn,
    sessionName: `irsa-doctor-${Date.now()}`,
  };
  if (endpoint.source !== 'regional default') {
    const problem = endpointUrlProblem(endpoint.url);
    if (problem) return { status: 'endpoint-invalid', call, token, envVar: endpoint.source, problem };
  }
  const { STSClient, AssumeRoleWithWebIdentityCommand, sdkClientSettings } = await agentSdk();
  // The step's budget starts once the SDK is loaded: loading it is this process's work, not STS's wait.
  const ms = stepBudget(ctx, STS_STEP_MS);
  const path = openNetworkPath(ctx, endpoint.url, ms);
  if (path.route.via === 'invalid')
    return { status: 'proxy-invalid', call, token, path: await path.settle() };
  const client = new STSClient(sdkClientSettings(region, ms, path.router));
  const t0 = performance.now();
  type Sent = DistributiveOmit<Extract<WebIdentityResult, { path: PathOutcome }>, 'path'>;
  let sent: Sent;
  try {
    const out = await withDeadline(
      client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: call.sessionName,
          WebIdentityToken: token.text,
        }),
        { abortSignal: stepSignal(ctx, ms) },
      ),
      ms,
      'sts:AssumeRoleWithWebIdentity',
      ctx.deadline.signal,
    );
    const c = out.Credentials;
    registerSecret(c?.SecretAccessKey);
    registerSecret(c?.SessionToken);
    const problem = credentialsProblem(c, ctx.now());
    if (problem || !c?.AccessKeyId || !c.SecretAccessKey)
      sent = {
        status: 'bad-credentials',
        call,
        token,
        assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
        problem: problem ?? 'the Credentials are incomplete',
        ...(c?.Expiration && Number.isFinite(c.Expiration.getTime())
          ? { expiration: c.Expiration.toISOString() }
          : {}),
        elapsedMs: Math.round(performance.now() - t0),
      };
    else
      sent = {
        status: 'ok',
        call,
        token,
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
          ...(c.Expiration ? { expiration: c.Expiration } : {}),
        },
        assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
        ...(out.AssumedRoleUser?.AssumedRoleId ? { assumedRoleId: out.AssumedRoleUser.AssumedRoleId } : {}),
        ...(out.Provider ? { provider: out.Provider } : {}),
        ...(out.Audience ? { audience: out.Audience } : {}),
        ...(out.SubjectFromWebIdentityToken ? { subject: out.SubjectFromWebIdentityToken } : {}),
        elapsedMs: Math.round(performance.now() - t0),
      };
  } catch (e) {
    const error = stsErrorFacts(e);
    sent = {
      status: 'failed',
      call,
      token,
      error,
      classification: classifyStsError(error),
      elapsedMs: Math.round(performance.now() - t0),
    };
  } finally {
    client.destroy();
  }
  return { ...sent, path: await path.settle() } as WebIdentityResult;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type CallerIdentity = (
  | { ok: true; arn: string; account: string; userId: string }
  | { ok: false; error: StsErrorFacts; classification: StsClassification }
) & {
  /** The way the call went (absent when an endpoint setting stopped it before any request). */
  path?: PathOutcome;
};

/** GetCallerIdentity signed with the given credentials, bounded by the step budget. */
export async function getCallerIdentity(
  ctx: AgentContext,
  credentials: AwsCredentials,
  label: string,
): Promise<CallerIdentity> {
  const { region } = await stsRegion(ctx);
  const endpoint = stsEndpointOf(ctx, region);
  const problem = endpoint.source === 'regional default' ? undefined : endpointUrlProblem(endpoint.url);
  if (problem) {
    const error: StsErrorFacts = {
      name: 'EndpointInvalid',
      message: `${endpoint.source} ${problem}; STS was not called`,
    };
    return { ok: false, error, classification: { cause: 'STS-ENDPOINT-INVALID' } };
  }
  const { STSClient, GetCallerIdentityCommand, sdkClientSettings } = await agentSdk();
  const ms = stepBudget(ctx, STS_STEP_MS);
  // The sts check judges the direct path to this endpoint; this call only reports its own.
  const path = openNetworkPath(ctx, endpoint.url, ms, { probeDirect: false });
  if (path.route.via === 'invalid') {
    const error: StsErrorFacts = {
      name: 'ProxyInvalid',
      message: `${path.route.variable} ${path.route.problem}; STS was not called`,
    };
    return {
      ok: false,
      error,
      classification: { cause: 'STS-UNREACHABLE', network: 'other' },
      path: await path.settle(),
    };
  }
  const client = new STSClient({ ...sdkClientSettings(region, ms, path.router), credentials });
  let answer: CallerIdentity;
  try {
    const out = await withDeadline(
      client.send(new GetCallerIdentityCommand({}), { abortSignal: stepSignal(ctx, ms) }),
      ms,
      label,
      ctx.deadline.signal,
    );
    answer = { ok: true, arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' };
  } catch (e) {
    const error = stsErrorFacts(e);
    answer = { ok: false, error, classification: classifyStsError(error) };
  } finally {
    client.destroy();
  }
  return { ...answer, path: await path.settle() };
}
