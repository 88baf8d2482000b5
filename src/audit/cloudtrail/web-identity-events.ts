// The AssumeRoleWithWebIdentity calls CloudTrail recorded in the audit's region over the last
// --cloudtrail-hours, read once for every ServiceAccount of the audit. Only the fields the audit needs
// are kept: a successful record carries the issued session token, so the record itself never leaves here.
import { sweepFact } from '../audit-context.js';
import type { AwsResult } from '../aws/aws-result.js';

export interface WebIdentityEvent {
  time: Date;
  /** the token's sub, e.g. system:serviceaccount:camunda:zeebe-sa */
  subject?: string;
  /** the OIDC provider (ARN or issuer host) the record names */
  provider?: string;
  roleArn?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface TrailLookup {
  since: Date;
  events: WebIdentityEvent[];
  /** more events than the audit reads (or a later page failed): only the newest were seen */
  truncated: boolean;
}

/** LookupEvents answers at most 50 events a page and 2 calls a second per account and region. */
const PAGE_SIZE = 50;
const MAX_PAGES = 20;

export const webIdentityEvents = sweepFact(
  'cloudtrail-web-identity',
  async (ctx): Promise<AwsResult<TrailLookup>> => {
    const end = ctx.sweep.now();
    const since = new Date(end.getTime() - ctx.sweep.options.cloudTrailHours * 3600_000);
    const events: WebIdentityEvent[] = [];
    let nextToken: string | undefined;
    let truncated = false;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) {
        truncated = true;
        break;
      }
      const r = await ctx.sweep.aws.call(
        'cloudtrail',
        'cloudtrail:LookupEvents',
        (trail, abortSignal, { LookupEventsCommand }) =>
          trail.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' }],
              StartTime: since,
              EndTime: end,
              MaxResults: PAGE_SIZE,
              NextToken: nextToken,
            }),
            { abortSignal },
          ),
      );
      if (!r.ok) {
        // The newest pages already read still say something; without the first there is nothing.
        if (page === 0) return r;
        truncated = true;
        break;
      }
      for (const e of r.value.Events ?? []) {
        const parsed = webIdentityEventOf(e.CloudTrailEvent, e.EventTime);
        if (parsed) events.push(parsed);
      }
      nextToken = r.value.NextToken;
      if (!nextToken) break;
    }
    return { ok: true, value: { since, events, truncated } };
  },
);

/** The fields of one CloudTrailEvent record the audit uses; undefined when it does not parse. */
export function webIdentityEventOf(
  recordJson: string | undefined,
  eventTime: Date | undefined,
): WebIdentityEvent | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(recordJson ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!record || typeof record !== 'object') return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const who = (record.userIdentity ?? {}) as Record<string, unknown>;
  const request = (record.requestParameters ?? {}) as Record<string, unknown>;
  const principalId = str(who.principalId);
  // principalId is PROVIDER:AUDIENCE:SUBJECT, and a ServiceAccount subject has colons of its own.
  const subject =
    str(who.userName) ??
    (principalId ? /(system:serviceaccount:[^:]+:[^:]+)$/.exec(principalId)?.[1] : undefined);
  const time = str(record.eventTime) ? new Date(record.eventTime as string) : eventTime;
  if (!time || Number.isNaN(time.getTime())) return undefined;
  const provider = str(who.identityProvider) ?? principalId;
  const roleArn = str(request.roleArn);
  const errorCode = str(record.errorCode);
  const errorMessage = str(record.errorMessage);
  return {
    time,
    ...(subject ? { subject } : {}),
    ...(provider ? { provider } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(errorMessage ? { errorMessage } : {}),
  };
}
