import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsControlPlane, startAwsControlPlane } from './aws-control-plane.js';
import type { Ec2Instance } from './ec2-api.js';
import { failure, withClient } from './sdk-env.js';

let cp: AwsControlPlane;
let hardened: Ec2Instance;
let legacy: Ec2Instance;
const ec2 = <T>(use: (c: EC2Client) => Promise<T>, env = cp.env) =>
  withClient(env, () => new EC2Client({}), use);
/** What an audit does with a Node's spec.providerID. */
const instanceIdOf = (providerId: string) => providerId.split('/').pop() ?? '';

beforeAll(async () => {
  cp = await startAwsControlPlane();
  hardened = cp.ec2.addInstance({ nodeRoleArn: cp.iam.roleArn('NodeInstanceRole') });
  legacy = cp.ec2.addInstance({
    imdsMode: 'hop-limit',
    availabilityZone: 'eu-west-1b',
    tags: { Name: 'old-ng' },
  });
});
afterAll(async () => {
  await cp?.close();
});

describe('DescribeInstances', () => {
  it('finds nodes by the instance id in their providerID and answers their metadata options', async () => {
    expect(legacy.providerId).toMatch(/^aws:\/\/\/eu-west-1b\/i-0[0-9a-f]{16}$/);
    const r = await ec2((c) =>
      c.send(
        new DescribeInstancesCommand({
          InstanceIds: [instanceIdOf(hardened.providerId), instanceIdOf(legacy.providerId)],
        }),
      ),
    );
    const found = r.Reservations?.flatMap((x) => x.Instances ?? []) ?? [];
    expect(
      found.map((i) => [
        i.InstanceId,
        i.MetadataOptions?.HttpTokens,
        i.MetadataOptions?.HttpPutResponseHopLimit,
      ]),
    ).toEqual([
      [hardened.instanceId, 'required', 2],
      [legacy.instanceId, 'optional', 1],
    ]);
    expect(found[0]).toMatchObject({
      State: { Code: 16, Name: 'running' },
      Placement: { AvailabilityZone: 'eu-west-1a' },
      IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/NodeInstanceRole' },
      MetadataOptions: { HttpEndpoint: 'enabled', State: 'applied' },
    });
    expect(found[0].PrivateDnsName).toMatch(/^ip-10-0-\d+-\d+\.eu-west-1\.compute\.internal$/);
    expect(r.Reservations?.[0].OwnerId).toBe('111122223333');
  });

  it('filters by instance-id and tag', async () => {
    const r = await ec2((c) =>
      c.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['old-ng'] }] })),
    );
    expect(r.Reservations?.flatMap((x) => x.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      legacy.instanceId,
    ]);
  });

  it('answers InvalidInstanceID.NotFound and InvalidInstanceID.Malformed with the EC2 error shape', async () => {
    const missing = await failure(
      ec2((c) => c.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))),
    );
    expect(missing).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      status: 400,
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    const malformed = await failure(
      ec2((c) => c.send(new DescribeInstancesCommand({ InstanceIds: ['node-1'] }))),
    );
    expect(malformed).toMatchObject({ name: 'InvalidInstanceID.Malformed', message: 'Invalid id: "node-1"' });
  });
});

describe('authentication and authorization', () => {
  it('answers UnauthorizedOperation for an operator without ec2:DescribeInstances', async () => {
    cp.operator.revoke('ec2:DescribeInstances');
    try {
      const e = await failure(ec2((c) => c.send(new DescribeInstancesCommand({}))));
      expect(e).toMatchObject({
        name: 'UnauthorizedOperation',
        status: 403,
        message:
          'You are not authorized to perform this operation. User: arn:aws:iam::111122223333:user/operator is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action',
      });
    } finally {
      cp.operator.grant('ec2:DescribeInstances');
    }
  });

  it('answers AuthFailure for an unknown key and SignatureDoesNotMatch for a wrong secret', async () => {
    const unknown = await failure(
      ec2((c) => c.send(new DescribeInstancesCommand({})), {
        ...cp.env,
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000',
      }),
    );
    expect(unknown).toMatchObject({ name: 'AuthFailure', status: 401 });
    const bad = await failure(
      ec2((c) => c.send(new DescribeInstancesCommand({})), { ...cp.env, AWS_SECRET_ACCESS_KEY: 'x' }),
    );
    expect(bad).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });
});
