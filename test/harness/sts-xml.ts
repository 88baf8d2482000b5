// STS query-protocol response bodies, shaped like the real service's (REFERENCE section 4).

import { xmlEscape as x } from './http-util.js';
import type { IssuedCredentials } from './iam.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface StsError {
  status: number;
  code: string;
  message: string;
  type?: 'Sender' | 'Receiver';
}

export function errorXml(e: StsError, requestId: string): string {
  return `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${e.type ?? 'Sender'}</Type>
    <Code>${x(e.code)}</Code>
    <Message>${x(e.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
}

export function assumeRoleWithWebIdentityXml(
  c: IssuedCredentials,
  p: { subject: string; audience: string; provider: string },
  requestId: string,
): string {
  return `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${x(p.subject)}</SubjectFromWebIdentityToken>
    <Audience>${x(p.audience)}</Audience>
    <AssumedRoleUser>
      <Arn>${x(c.assumedRoleArn)}</Arn>
      <AssumedRoleId>${x(c.assumedRoleId)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${x(c.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${x(c.sessionToken ?? '')}</SessionToken>
      <Expiration>${iso(c.expiration)}</Expiration>
    </Credentials>
    <Provider>${x(p.provider)}</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
}

export function getCallerIdentityXml(c: IssuedCredentials, requestId: string): string {
  return `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>${x(c.assumedRoleArn)}</Arn>
    <UserId>${x(c.assumedRoleId)}</UserId>
    <Account>${c.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
}
