import { describe, expect, it } from 'vitest';
import { instanceOfProviderId } from '../../../../src/audit/nodes/cluster-nodes.js';

describe('instanceOfProviderId', () => {
  it('reads the instance of an EC2 node', () => {
    expect(instanceOfProviderId('aws:///eu-west-1a/i-0abc123def4567890')).toEqual({
      availabilityZone: 'eu-west-1a',
      instanceId: 'i-0abc123def4567890',
    });
    expect(instanceOfProviderId('aws:///us-east-1b/i-12345678')?.instanceId).toBe('i-12345678');
  });

  it('has none for Fargate, other clouds, or nothing', () => {
    expect(
      instanceOfProviderId('aws:///eu-west-1a/2d0b4a0f7e/fargate-ip-10-0-7-12.eu-west-1.compute.internal'),
    ).toBeUndefined();
    expect(instanceOfProviderId('gce://project/zone/node-1')).toBeUndefined();
    expect(instanceOfProviderId(undefined)).toBeUndefined();
    expect(instanceOfProviderId('')).toBeUndefined();
  });
});
