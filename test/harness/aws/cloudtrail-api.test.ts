import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../eks-stack.js';
import { type AwsControlPlane, startAwsControlPlane } from './aws-control-plane.js';
import { webIdentityEvent } from './cloudtrail-api.js';
import { failure, signedRequest, withClient } from './sdk-env.js';

let stack: EksStack;
let cp: AwsControlPlane;
const lookup = (input: LookupEventsCommandInput, env = cp.env) =>
  withClient(
    env,
    () => new CloudTrailClient({}),
    (c) => c.send(new LookupEventsCommand(input)),
  );
/** What a pod's SDK does: an unsigned AssumeRoleWithWebIdentity to the regional STS endpoint. */
async function podAssumes(serviceAccount: string, audience = ['sts.amazonaws.com'], session = 'pod-session') {
  const token = await stack.issuer.mintToken({ namespace: 'camunda', serviceAccount, audience });
  return withClient(
    cp.env,
    () => new STSClient({}),
    (c) =>
      c.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: stack.roleArn,
          RoleSessionName: session,
          WebIdentityToken: token,
        }),
      ),
  );
}
const byName = {
  LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'AssumeRoleWithWebIdentity' }],
};

beforeAll(async () => {
  stack = await startEksStack();
  cp = await startAwsControlPlane({ stack });
  await podAssumes('zeebe-sa', undefined, 'granted');
  await failure(podAssumes('operate-sa', undefined, 'wrong-sa'));
  await failure(podAssumes('zeebe-sa', ['pods.eks.amazonaws.com'], 'wrong-aud'));
});
afterAll(async () => {
  await cp?.close();
  await stack?.close();
});

describe('the trail of AssumeRoleWithWebIdentity', () => {
  it('holds every call the STS emulator served, refusals included, newest first', async () => {
    const r = await lookup(byName);
    const records = (r.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent ?? '{}'));
    expect(records.map((x) => [x.requestParameters.roleSessionName, x.errorCode])).toEqual([
      ['wrong-aud', 'InvalidIdentityTokenException'],
      ['wrong-sa', 'AccessDenied'],
      ['granted', undefined],
    ]);
    expect(r.Events?.[0]).toMatchObject({
      EventName: 'AssumeRoleWithWebIdentity',
      EventSource: 'sts.amazonaws.com',
      ReadOnly: 'true',
      Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: stack.roleArn }],
    });
    expect(r.Events?.[0].EventTime).toBeInstanceOf(Date);
  });

  it('shapes a refusal like the real record: WebIdentityUser, roleArn, error code and message', async () => {
    const r = await lookup({
      LookupAttributes: [
        { AttributeKey: 'Username', AttributeValue: 'system:serviceaccount:camunda:operate-sa' },
      ],
    });
    expect(r.Events).toHaveLength(1);
    const provider = stack.iam.oidcProviderArn(stack.issuer.issuerHost);
    expect(JSON.parse(r.Events?.[0].CloudTrailEvent ?? '')).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      awsRegion: 'eu-west-1',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${provider}:sts.amazonaws.com:system:serviceaccount:camunda:operate-sa`,
        userName: 'system:serviceaccount:camunda:operate-sa',
        identityProvider: provider,
      },
      errorCode: 'AccessDenied',
      errorMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      requestParameters: { roleArn: stack.roleArn, roleSessionName: 'wrong-sa' },
      responseElements: null,
      recipientAccountId: '111122223333',
      eventType: 'AwsApiCall',
    });
  });

  it('shapes a success with the assumed role and the session credentials (never the secret key)', async () => {
    const r = await lookup({
      LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::STS::AssumedRole' }],
    });
    expect(r.Events).toHaveLength(1);
    const record = JSON.parse(r.Events?.[0].CloudTrailEvent ?? '');
    expect(record.responseElements).toMatchObject({
      subjectFromWebIdentityToken: 'system:serviceaccount:camunda:zeebe-sa',
      audience: 'sts.amazonaws.com',
      assumedRoleUser: { arn: expect.stringMatching(/:assumed-role\/irsa-doctor-app\/granted$/) },
    });
    expect(record.errorCode).toBeUndefined();
    const issued = stack.iam.issuedCredentials().find((c) => c.accessKeyId === r.Events?.[0].AccessKeyId);
    expect(issued).toBeDefined();
    expect(r.Events?.[0].CloudTrailEvent).not.toContain(issued?.secretAccessKey);
  });

  it('honours StartTime/EndTime and pages with MaxResults and NextToken', async () => {
    const old = webIdentityEvent(
      {
        time: new Date(Date.now() - 2 * 3600_000),
        region: cp.region,
        requestId: 'old',
        sourceIp: '10.0.0.9',
        roleArn: stack.roleArn,
        roleSessionName: 'two-hours-ago',
        claims: {
          iss: stack.issuer.issuerUrl,
          sub: 'system:serviceaccount:camunda:zeebe-sa',
          aud: ['sts.amazonaws.com'],
        },
        outcome: { ok: false, code: 'ExpiredTokenException', message: 'Token expired' },
      },
      cp.accountId,
    );
    cp.cloudTrail.addEvent(old);
    const lastHour = await lookup({ ...byName, StartTime: new Date(Date.now() - 3600_000) });
    expect(lastHour.Events).toHaveLength(3);
    const all = await lookup(byName);
    expect(all.Events?.at(-1)?.EventId).toBe(old.eventId);
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await lookup({ ...byName, MaxResults: 1, NextToken });
      names.push(
        ...(page.Events ?? []).map(
          (e) => JSON.parse(e.CloudTrailEvent ?? '').requestParameters.roleSessionName,
        ),
      );
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toEqual(['wrong-aud', 'wrong-sa', 'granted', 'two-hours-ago']);
  });

  it('refuses two lookup attributes, a bad MaxResults and an inverted time range', async () => {
    const two = await failure(
      lookup({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' },
          { AttributeKey: 'Username', AttributeValue: 'x' },
        ],
      }),
    );
    expect(two).toMatchObject({ name: 'InvalidLookupAttributesException', status: 400 });
    expect(await failure(lookup({ MaxResults: 51 }))).toMatchObject({ name: 'InvalidMaxResultsException' });
    expect(
      await failure(lookup({ StartTime: new Date(), EndTime: new Date(Date.now() - 3600_000) })),
    ).toMatchObject({ name: 'InvalidTimeRangeException' });
  });
});

describe('the wire', () => {
  it('accepts the long X-Amz-Target botocore sends and answers epoch-second timestamps', async () => {
    const raw = await signedRequest(cp.env.AWS_ENDPOINT_URL_CLOUDTRAIL, {
      path: '/',
      method: 'POST',
      service: 'cloudtrail',
      region: cp.region,
      credentials: cp.operator.credentials,
      body: JSON.stringify({ MaxResults: 1 }),
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
      },
    });
    expect(raw.status).toBe(200);
    const body = JSON.parse(raw.body);
    expect(typeof body.Events[0].EventTime).toBe('number');
    expect(typeof body.Events[0].CloudTrailEvent).toBe('string');
    expect(typeof body.NextToken).toBe('string');
  });
});

describe('authorization', () => {
  it('answers AccessDeniedException (400, JSON 1.1) for an operator without cloudtrail:LookupEvents', async () => {
    cp.operator.revoke('cloudtrail:LookupEvents');
    try {
      const e = await failure(lookup(byName));
      expect(e).toMatchObject({
        name: 'AccessDeniedException',
        status: 400,
        message:
          'User: arn:aws:iam::111122223333:user/operator is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action',
      });
    } finally {
      cp.operator.grant('cloudtrail:LookupEvents');
    }
  });

  it('answers UnrecognizedClientException for an unknown key', async () => {
    const e = await failure(lookup(byName, { ...cp.env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000' }));
    expect(e).toMatchObject({ name: 'UnrecognizedClientException', status: 400 });
  });
});

describe('delivery delay', () => {
  it('hides events younger than the delay, as CloudTrail delivers minutes late', async () => {
    const late = await startAwsControlPlane({ cloudTrailDeliveryDelayMs: 60_000 });
    try {
      const fresh = webIdentityEvent(
        {
          time: new Date(),
          region: late.region,
          requestId: 'fresh',
          sourceIp: '10.0.0.9',
          roleArn: late.iam.roleArn('app'),
          roleSessionName: 's',
          outcome: {
            ok: false,
            code: 'AccessDenied',
            message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
          },
        },
        late.accountId,
      );
      late.cloudTrail.addEvent(fresh);
      late.cloudTrail.addEvent({ ...fresh, eventId: 'older', eventTime: new Date(Date.now() - 120_000) });
      const r = await withClient(
        late.env,
        () => new CloudTrailClient({}),
        (c) => c.send(new LookupEventsCommand({})),
      );
      expect(r.Events?.map((e) => e.EventId)).toEqual(['older']);
    } finally {
      await late.close();
    }
  });
});
