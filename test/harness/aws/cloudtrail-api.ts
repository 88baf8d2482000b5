// CloudTrail's LookupEvents on loopback (awsJson1.1), over a trail the STS emulator feeds: every
// AssumeRoleWithWebIdentity a pod makes, granted or refused, becomes a management event shaped like
// the real record (userIdentity WebIdentityUser, requestParameters.roleArn, errorCode/errorMessage).
// Lookups are per region and per account, newest first, as in the real service.
import { randomUUID } from 'node:crypto';
import type { IamAccount } from '../iam.js';
import type { WebIdentityCall } from '../sts.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';
import { pageToken } from './aws-wire.js';

// The service answers both spellings of the target: botocore sends the model's long targetPrefix, the
// JS SDK v3 the shape id.
export const LOOKUP_EVENTS_TARGETS = [
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
  'CloudTrail_20131101.LookupEvents',
];

export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: Date;
  region: string;
  /** recipientAccountId: the account whose trail holds the event */
  account: string;
  username?: string;
  accessKeyId?: string;
  readOnly: boolean;
  resources: Array<{ ResourceType: string; ResourceName: string }>;
  /** the full record, answered as the CloudTrailEvent JSON string */
  record: Record<string, unknown>;
}

const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// Public trail samples name STS's refusals by exception name (the wire answers InvalidIdentityToken, the
// record says InvalidIdentityTokenException); AccessDenied and the rest keep their wire code. Not every
// code has a public sample, so an audit should accept both spellings.
const TRAIL_ERROR_CODES: Record<string, string> = {
  InvalidIdentityToken: 'InvalidIdentityTokenException',
  IDPCommunicationError: 'IDPCommunicationErrorException',
  IDPRejectedClaim: 'IDPRejectedClaimException',
};

/** The trail record of one AssumeRoleWithWebIdentity (the secret key is never in a record; the session token is). */
export function webIdentityEvent(call: WebIdentityCall, account: string): TrailEvent {
  const eventId = randomUUID();
  const sub = call.claims?.sub;
  const aud = call.outcome.ok ? call.outcome.audience : call.claims?.aud[0];
  const provider = call.providerArn ?? call.claims?.iss?.replace(/^https:\/\//, '');
  const ok = call.outcome.ok ? call.outcome : undefined;
  const failed = call.outcome.ok ? undefined : call.outcome;
  const record: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: provider && sub ? `${provider}:${aud ?? ''}:${sub}` : undefined,
      userName: sub,
      identityProvider: provider,
    },
    eventTime: iso(call.time),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent ?? '',
    ...(failed
      ? { errorCode: TRAIL_ERROR_CODES[failed.code] ?? failed.code, errorMessage: failed.message }
      : undefined),
    requestParameters: {
      roleArn: call.roleArn,
      roleSessionName: call.roleSessionName,
      ...(call.durationSeconds === undefined ? undefined : { durationSeconds: call.durationSeconds }),
    },
    responseElements: ok
      ? {
          credentials: {
            accessKeyId: ok.credentials.accessKeyId,
            sessionToken: ok.credentials.sessionToken,
            expiration: ok.credentials.expiration.toUTCString(),
          },
          subjectFromWebIdentityToken: ok.subject,
          assumedRoleUser: {
            assumedRoleId: ok.credentials.assumedRoleId,
            arn: ok.credentials.assumedRoleArn,
          },
          provider: call.providerArn,
          audience: ok.audience,
        }
      : null,
    additionalEventData: ok ? { identityProviderConnectionVerificationMethod: 'IAMTrustStore' } : undefined,
    requestID: call.requestId,
    eventID: eventId,
    readOnly: true,
    resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: call.roleArn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
  return {
    eventId,
    eventName: 'AssumeRoleWithWebIdentity',
    eventSource: 'sts.amazonaws.com',
    eventTime: call.time,
    region: call.region,
    account,
    username: sub,
    accessKeyId: ok?.credentials.accessKeyId,
    readOnly: true,
    resources: [
      { ResourceType: 'AWS::IAM::Role', ResourceName: call.roleArn },
      ...(ok
        ? [
            { ResourceType: 'AWS::STS::AssumedRole', ResourceName: ok.credentials.assumedRoleArn },
            { ResourceType: 'AWS::STS::AccessKey', ResourceName: ok.credentials.accessKeyId },
          ]
        : []),
    ],
    record,
  };
}

export interface CloudTrailApi extends AwsService {
  region: string;
  events: TrailEvent[];
  /** any event, e.g. an old failure placed hours back with `eventTime` */
  addEvent(e: TrailEvent): void;
  /** what the control plane wires to StsEmulator.onWebIdentity */
  recordWebIdentity(call: WebIdentityCall): void;
}

export interface CloudTrailApiOptions {
  iam: IamAccount;
  region: string;
  /** CloudTrail delivers events minutes late; default 0 */
  deliveryDelayMs?: number;
  tls?: { certPem: string; keyPem: string };
}

const invalid = (code: string, message: string) => new AwsFault(400, code, message);

export async function startCloudTrailApi(o: CloudTrailApiOptions): Promise<CloudTrailApi> {
  const { iam, region } = o;
  const events: TrailEvent[] = [];
  const delay = o.deliveryDelayMs ?? 0;

  const matches = (e: TrailEvent, key: string, value: string): boolean => {
    switch (key) {
      case 'EventId':
        return e.eventId === value;
      case 'EventName':
        return e.eventName === value;
      case 'ReadOnly':
        return String(e.readOnly) === value;
      case 'Username':
        return e.username === value;
      case 'ResourceType':
        return e.resources.some((r) => r.ResourceType === value);
      case 'ResourceName':
        return e.resources.some((r) => r.ResourceName === value);
      case 'EventSource':
        return e.eventSource === value;
      case 'AccessKeyId':
        return e.accessKeyId === value;
      default:
        return false;
    }
  };

  const lookup = (input: Record<string, unknown>, callerRegion: string, callerAccount: string) => {
    const attrs = Array.isArray(input.LookupAttributes)
      ? (input.LookupAttributes as Array<{ AttributeKey?: string; AttributeValue?: string }>)
      : [];
    if (attrs.length > 1)
      throw invalid('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    for (const a of attrs)
      if (!ATTRIBUTE_KEYS.includes(a.AttributeKey as never) || typeof a.AttributeValue !== 'string')
        throw invalid('InvalidLookupAttributesException', `Invalid lookup attribute: ${a.AttributeKey}`);
    const now = Date.now();
    const toDate = (v: unknown, fallback: number) => (typeof v === 'number' ? v * 1000 : fallback);
    const start = toDate(input.StartTime, now - 90 * 86400_000);
    const end = toDate(input.EndTime, now);
    if (start > end) throw invalid('InvalidTimeRangeException', 'Start time must be before end time.');
    const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 50)
      throw invalid('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    const offset = pageToken.decode(typeof input.NextToken === 'string' ? input.NextToken : undefined);
    if (offset === undefined) throw invalid('InvalidNextTokenException', 'Invalid NextToken.');
    const found = events
      .filter(
        (e) =>
          e.region === callerRegion &&
          e.account === callerAccount &&
          e.eventTime.getTime() + delay <= now &&
          e.eventTime.getTime() >= start &&
          e.eventTime.getTime() <= end &&
          attrs.every((a) => matches(e, a.AttributeKey as string, a.AttributeValue as string)),
      )
      .sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
    const page = found.slice(offset, offset + max);
    const next = offset + page.length;
    return {
      Events: page.map((e) => ({
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly),
        AccessKeyId: e.accessKeyId,
        EventTime: e.eventTime.getTime() / 1000,
        EventSource: e.eventSource,
        Username: e.username,
        Resources: e.resources,
        CloudTrailEvent: JSON.stringify(e.record),
      })),
      NextToken: next < found.length ? pageToken.encode(next) : undefined,
    };
  };

  const service = await startAwsService({
    iam,
    signingName: 'cloudtrail',
    protocol: 'json',
    regions: [region],
    // JSON 1.1 services answer authorization denials with 400.
    deniedStatus: 400,
    tls: o.tls,
    route: (call): Operation => {
      const target = call.headers['x-amz-target'];
      if (call.method !== 'POST' || !LOOKUP_EVENTS_TARGETS.includes(String(target)))
        throw new AwsFault(400, 'UnknownOperationException', `Unknown operation ${String(target)}`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(call.body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new AwsFault(
          400,
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      }
      return {
        name: 'LookupEvents',
        action: 'cloudtrail:LookupEvents',
        resource: '*',
        describedAs: null,
        run: () => lookup(input, call.region, call.caller.account),
      };
    },
  });

  return {
    ...service,
    region,
    events,
    addEvent: (e) => events.push(e),
    recordWebIdentity(call) {
      const account = /^arn:[^:]+:iam::(\d{12}):/.exec(call.roleArn)?.[1] ?? iam.accountId;
      events.push(webIdentityEvent(call, account));
    },
  };
}
