import { describe, expect, it } from 'vitest';
import {
  rdsConnectPolicyDocument,
  rdsConnectStatement,
  rdsDbResourceArn,
} from '../../../src/aws/rds-db-resource.js';

describe('rds-db:connect resources', () => {
  it('names the resource id and the user, in the partition given', () => {
    expect(
      rdsDbResourceArn({
        partition: 'aws-cn',
        region: 'cn-north-1',
        account: '111122223333',
        resourceId: 'prx-0123456789abcdef0',
        user: 'app',
      }),
    ).toBe('arn:aws-cn:rds-db:cn-north-1:111122223333:dbuser:prx-0123456789abcdef0/app');
  });

  it('prints placeholders for what is unknown', () => {
    expect(rdsDbResourceArn({ region: 'eu-west-1', user: 'app' })).toBe(
      'arn:aws:rds-db:eu-west-1:ACCOUNT_ID:dbuser:cluster-RESOURCE_ID/app',
    );
  });

  it('wraps the statement in a policy document put-role-policy accepts', () => {
    const arn = 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app';
    expect(JSON.parse(rdsConnectStatement(arn))).toEqual({
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: arn,
    });
    expect(JSON.parse(rdsConnectPolicyDocument(arn))).toEqual({
      Version: '2012-10-17',
      Statement: [JSON.parse(rdsConnectStatement(arn))],
    });
  });
});
