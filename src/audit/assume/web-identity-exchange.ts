// The exchange a pod makes, made from the workstation: AssumeRoleWithWebIdentity with a fresh
// ServiceAccount token (unsigned, through the audit's STS client), then GetCallerIdentity signed with
// the credentials it returned. The credentials are registered for redaction the moment they exist and
// live only inside `exchangeWebIdentity`: no caller ever holds them.
import type { AssumeRoleWithWebIdentityCommandOutput } from '@aws-sdk/client-sts';
import {
  classifyStsError,
  type StsClassification,
  type StsErrorFacts,
  stsErrorFacts,
} from '../../agent/sts/classify-sts-error.js';
import { withDeadline } from '../../lib/deadline.js';
import { registerSecret } from '../../lib/redact.js';
import type { AuditContext } from '../audit-context.js';
import type { AwsSdks } from '../aws/audit-aws.js';

/** The longest one STS call may take, as for every read of the audit. */
const CALL_MS = 10_000;

export type CallerIdentityAnswer =
  | { ok: true; arn: string; account: string }
  | { ok: false; error: StsErrorFacts; classification: StsClassification };

export type ExchangeResult =
  | {
      ok: true;
      assumedRoleArn: string;
      subject?: string;
      audience?: string;
      provider?: string;
      elapsedMs: number;
      identity: CallerIdentityAnswer;
    }
  | { ok: false; error: StsErrorFacts; classification: StsClassification; elapsedMs: number };

export async function exchangeWebIdentity(
  ctx: AuditContext,
  roleArn: string,
  token: string,
  sessionName: string,
): Promise<ExchangeResult> {
  const t0 = performance.now();
  const r = await ctx.sweep.aws.call(
    'sts',
    'sts:AssumeRoleWithWebIdentity',
    async (sts, abortSignal, sdk) => {
      const { AssumeRoleWithWebIdentityCommand } = sdk;
      try {
        const out: AssumeRoleWithWebIdentityCommandOutput = await sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn,
            RoleSessionName: sessionName,
            WebIdentityToken: token,
            // The shortest session STS grants: the credentials are used once and dropped.
            DurationSeconds: 900,
          }),
          { abortSignal },
        );
        return { ok: true as const, out, sdk };
      } catch (e) {
        return { ok: false as const, error: stsErrorFacts(e) };
      }
    },
  );
  const elapsedMs = Math.round(performance.now() - t0);
  // No answer in time (or no client): what the classifier calls a timeout.
  const failed = (error: StsErrorFacts) => ({
    ok: false as const,
    error,
    classification: classifyStsError(error),
    elapsedMs,
  });
  if (!r.ok)
    return failed({
      name: r.kind === 'unreachable' ? 'TimeoutError' : r.code,
      message: r.message,
      ...(r.httpStatus ? { httpStatus: r.httpStatus } : {}),
    });
  if (!r.value.ok) return failed(r.value.error);
  const out = r.value.out;
  const c = out.Credentials;
  registerSecret(c?.SecretAccessKey);
  registerSecret(c?.SessionToken);
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    return failed({ name: 'Error', message: 'STS answered without Credentials' });
  const identity = await callerIdentity(ctx, r.value.sdk, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
  });
  return {
    ok: true,
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
    ...(out.SubjectFromWebIdentityToken ? { subject: out.SubjectFromWebIdentityToken } : {}),
    ...(out.Audience ? { audience: out.Audience } : {}),
    ...(out.Provider ? { provider: out.Provider } : {}),
    elapsedMs,
    identity,
  };
}

/** GetCallerIdentity signed with the role's credentials, by a client made for it and destroyed after. */
async function callerIdentity(
  ctx: AuditContext,
  { STSClient, GetCallerIdentityCommand }: AwsSdks['sts'],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<CallerIdentityAnswer> {
  const ms = Math.max(1, Math.min(CALL_MS, ctx.deadline.remainingMs() - 300));
  const client = new STSClient({
    region: ctx.sweep.aws.region,
    credentials,
    maxAttempts: 2,
    requestHandler: ctx.sweep.aws.handler(ms),
  });
  try {
    const out = await withDeadline(
      client.send(new GetCallerIdentityCommand({}), {
        abortSignal: AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(ms)]),
      }),
      ms,
      'sts:GetCallerIdentity',
      ctx.deadline.signal,
    );
    return { ok: true, arn: out.Arn ?? '', account: out.Account ?? '' };
  } catch (e) {
    const error = stsErrorFacts(e);
    return { ok: false, error, classification: classifyStsError(error) };
  } finally {
    client.destroy();
  }
}
