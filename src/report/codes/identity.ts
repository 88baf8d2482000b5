import type { CodeCatalog } from './code-info.js';

export const IDENTITY_CODES: CodeCatalog = {
  'IDENTITY-OK': {
    title: 'STS credentials are the role in AWS_ROLE_ARN',
    cause:
      'GetCallerIdentity signed with the web identity credentials returns assumed-role/NAME/SESSION for the same partition, account and role name as AWS_ROLE_ARN (session ARNs drop the role path).',
    confirm: 'aws sts get-caller-identity (with the web identity credentials)',
    fix: 'None.',
  },
  'IDENTITY-MISMATCH': {
    title: 'STS credentials belong to another role',
    cause:
      'The assumed-role ARN names a different account or role than AWS_ROLE_ARN: AWS_ENDPOINT_URL_STS / a proxy answers for another account, or AWS_ROLE_ARN was changed after the credentials were issued.',
    confirm: 'aws sts get-caller-identity; echo $AWS_ROLE_ARN; env | grep AWS_ENDPOINT_URL',
    fix: 'Point AWS_ENDPOINT_URL_STS at the real regional STS endpoint (or unset it) and set the ServiceAccount annotation eks.amazonaws.com/role-arn to the role the application needs; restart the pod.',
  },
  'IDENTITY-SKIPPED': {
    title: 'No web identity credentials to identify',
    cause: 'The sts check did not obtain credentials (see its finding).',
    confirm: 'See the sts check.',
    fix: 'Fix the sts finding first.',
  },
  'IDENTITY-ERROR': {
    title: 'GetCallerIdentity failed with the web identity credentials',
    cause:
      'STS refused or did not answer the signed call: STS unreachable, clock skew breaking the SigV4 signature, or STS deactivated in the region.',
    confirm: 'date -u; aws sts get-caller-identity --region REGION --debug',
    fix: 'Act on the STS error in the finding (network path to STS, node clock via NTP, STS region activation).',
  },
};
