import { defineCodes } from './define.js';

export const IDENTITY_CODES = defineCodes({
  'IDENTITY-OK': {
    check: ['identity', 'audit-assume'],
    status: 'pass',
    title: 'STS credentials are the role in AWS_ROLE_ARN',
    cause:
      'GetCallerIdentity signed with the web identity credentials returns assumed-role/NAME/SESSION for the same partition, account and role name as AWS_ROLE_ARN (session ARNs drop the role path).',
    confirm: 'aws sts get-caller-identity (with the web identity credentials)',
  },
  'IDENTITY-MISMATCH': {
    check: ['identity', 'audit-assume'],
    status: 'fail',
    title: 'STS credentials belong to another role',
    cause:
      'The assumed-role ARN names a different account or role than AWS_ROLE_ARN: AWS_ENDPOINT_URL_STS / a proxy answers for another account, or AWS_ROLE_ARN was changed after the credentials were issued.',
    confirm: 'aws sts get-caller-identity; echo $AWS_ROLE_ARN; env | grep AWS_ENDPOINT_URL',
    fix: {
      regional:
        'STS at {{endpoint}} (regional default) answered for another identity: check for an HTTPS proxy answering for STS, and set the ServiceAccount annotation eks.amazonaws.com/role-arn to the role the application needs (`kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn={{roleArn}} --overwrite`), then restart the pod.',
      redirected:
        'STS at {{endpoint}} ({{endpointSource}}) answered for another identity: unset or correct {{endpointSource}}, and set the ServiceAccount annotation eks.amazonaws.com/role-arn to the role the application needs (`kubectl annotate sa {{serviceAccount}} -n {{namespace}} eks.amazonaws.com/role-arn={{roleArn}} --overwrite`), then restart the pod.',
    },
  },
  'IDENTITY-SKIPPED': {
    check: 'identity',
    status: 'skip',
    title: 'No web identity credentials to identify',
    cause: 'The sts check did not obtain credentials (see its finding).',
    confirm: 'See the sts check.',
  },
  'IDENTITY-ERROR': {
    check: ['identity', 'audit-assume'],
    status: 'fail',
    title: 'GetCallerIdentity failed with the web identity credentials',
    cause:
      'STS refused or did not answer the signed call: STS unreachable, clock skew breaking the SigV4 signature, or STS deactivated in the region.',
    confirm: 'date -u; aws sts get-caller-identity --region {{region}} --debug',
    fix: {
      unreachable:
        'Allow egress from the pod to the STS endpoint {{endpoint}} (NetworkPolicy, security group, NO_PROXY).',
      refused:
        'Act on the STS error ({{said}}); a SignatureDoesNotMatch or "Signature expired" means the node clock is off: fix NTP/chrony on the node.',
    },
  },
});
