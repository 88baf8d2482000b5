import { describe, expect, it } from 'vitest';
import {
  classifyStsError,
  describeStsError,
  type StsErrorFacts,
  stsErrorFacts,
} from '../../../../src/agent/sts/classify-sts-error.js';

// Shapes as @aws-sdk/client-sts 3.x throws them for the real STS error bodies (REFERENCE section 4):
// modeled errors get `<Code>Exception` names, others an STSServiceException named after the Code.
const sts = (name: string, code: string, message: string, httpStatus = 400): StsErrorFacts => ({
  name,
  code,
  message,
  httpStatus,
});

describe('classifyStsError', () => {
  it.each([
    [
      sts(
        'InvalidIdentityTokenException',
        'InvalidIdentityToken',
        'No OpenIDConnect provider found in your account for https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
      ),
      'STS-NO-OIDC-PROVIDER',
    ],
    [
      sts('InvalidIdentityTokenException', 'InvalidIdentityToken', 'Incorrect token audience'),
      'STS-AUDIENCE',
    ],
    [
      sts(
        'InvalidIdentityTokenException',
        'InvalidIdentityToken',
        "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
      ),
      'STS-THUMBPRINT',
    ],
    [
      sts(
        'IDPCommunicationErrorException',
        'IDPCommunicationError',
        "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
      ),
      'STS-JWKS-UNREACHABLE',
    ],
    [
      sts('AccessDenied', 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403),
      'STS-TRUST-POLICY',
    ],
    [sts('ValidationError', 'ValidationError', 'Request ARN is invalid'), 'STS-INVALID-ARN'],
    [
      sts(
        'ExpiredTokenException',
        'ExpiredTokenException',
        'Token expired: current date/time 1700000000 must be before the expiration date/time 1690000000',
      ),
      'STS-TOKEN-EXPIRED',
    ],
    [
      sts(
        'RegionDisabledException',
        'RegionDisabledException',
        'STS is not activated in this region for account:111122223333. Your account administrator can activate STS in this region using the IAM Console.',
        403,
      ),
      'STS-REGION-DISABLED',
    ],
    [sts('IDPRejectedClaimException', 'IDPRejectedClaim', 'Rejected claim', 403), 'STS-IDP-REJECTED'],
    [
      sts(
        'InvalidIdentityTokenException',
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      ),
      'STS-INVALID-TOKEN',
    ],
    [sts('Throttling', 'Throttling', 'Rate exceeded'), 'STS-ERROR'],
  ] as const)('%# %o -> %s', (facts, cause) => {
    expect(classifyStsError(facts).cause).toBe(cause);
  });

  it('tells a missing key apart from an unreachable issuer', () => {
    const missingKey = sts(
      'InvalidIdentityTokenException',
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider",
    );
    expect(classifyStsError(missingKey)).toEqual({ cause: 'STS-JWKS-UNREACHABLE', jwks: 'key-not-found' });
    expect(classifyStsError(sts('IDPCommunicationErrorException', 'IDPCommunicationError', 'x')).jwks).toBe(
      'unreachable',
    );
  });

  it('matches "retrieve verification key" whatever apostrophe the message uses', () => {
    for (const text of [
      'Couldn\u2019t retrieve verification key from your identity provider',
      'Couldn\u02bct retrieve verification key from your identity provider',
      'Unable to retrieve verification key from your identity provider',
    ])
      expect(classifyStsError(sts('InvalidIdentityTokenException', 'InvalidIdentityToken', text))).toEqual({
        cause: 'STS-JWKS-UNREACHABLE',
        jwks: 'key-not-found',
      });
  });

  it('matches the documented phrases case-insensitively and with other prefixes', () => {
    expect(
      classifyStsError(
        sts('InvalidIdentityToken', 'InvalidIdentityToken', 'An error occurred: INCORRECT TOKEN AUDIENCE.'),
      ).cause,
    ).toBe('STS-AUDIENCE');
    expect(
      classifyStsError({
        name: 'AccessDeniedException',
        message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
        httpStatus: 403,
      }).cause,
    ).toBe('STS-TRUST-POLICY');
  });

  it('does not confuse expired AWS credentials on a signed call with an expired web identity token', () => {
    expect(
      classifyStsError(
        sts('ExpiredToken', 'ExpiredToken', 'The security token included in the request is expired', 403),
      ).cause,
    ).toBe('STS-ERROR');
  });

  it('keeps other validation errors generic', () => {
    const session = sts(
      'ValidationError',
      'ValidationError',
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64",
    );
    expect(classifyStsError(session).cause).toBe('STS-ERROR');
    const arnLength = sts(
      'ValidationError',
      'ValidationError',
      "1 validation error detected: Value 'arn:x' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    expect(classifyStsError(arnLength).cause).toBe('STS-INVALID-ARN');
  });

  it.each([
    [{ name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1', errno: 'ECONNREFUSED' }, 'refused'],
    [
      { name: 'Error', message: 'getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com', errno: 'ENOTFOUND' },
      'dns',
    ],
    [
      {
        name: 'TimeoutError',
        message: 'a request has exceeded the configured 700 ms requestTimeout.',
        errno: 'ETIMEDOUT',
      },
      'timeout',
    ],
    [{ name: 'DeadlineError', message: 'sts did not answer within 3000 ms' }, 'timeout'],
    [{ name: 'AbortError', message: 'This operation was aborted' }, 'timeout'],
    [
      {
        name: 'Error',
        message: 'self-signed certificate in certificate chain',
        errno: 'SELF_SIGNED_CERT_IN_CHAIN',
      },
      'tls',
    ],
    [
      {
        name: 'Error',
        message: 'unable to verify the first certificate',
        errno: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      },
      'tls',
    ],
    [{ name: 'Error', message: 'read ECONNRESET', errno: 'ECONNRESET' }, 'reset'],
  ] as const)('network failure %o is %s', (facts, network) => {
    expect(classifyStsError(facts)).toEqual({ cause: 'STS-UNREACHABLE', network });
  });
});

describe('stsErrorFacts', () => {
  it('reads the SDK exception fields', () => {
    const e = Object.assign(new Error('Incorrect token audience'), {
      name: 'InvalidIdentityTokenException',
      Code: 'InvalidIdentityToken',
      $metadata: { httpStatusCode: 400 },
    });
    expect(stsErrorFacts(e)).toEqual({
      name: 'InvalidIdentityTokenException',
      code: 'InvalidIdentityToken',
      message: 'Incorrect token audience',
      httpStatus: 400,
    });
  });

  it('reads a Node network error code, also from cause', () => {
    const direct = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', $metadata: {} });
    expect(stsErrorFacts(direct).errno).toBe('ECONNREFUSED');
    const wrapped = new Error('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }),
    });
    expect(stsErrorFacts(wrapped).errno).toBe('ENOTFOUND');
    expect(stsErrorFacts('boom')).toEqual({ name: 'Error', message: 'boom' });
  });
});

// What @aws-sdk/client-sts 3.x throws when something other than STS answers (read from a loopback run).
const deserializationError = (status: number) =>
  Object.assign(
    new Error(
      '@aws-sdk XML parse error: mismatched tags <hr> and </body>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    ),
    { $metadata: { httpStatusCode: status } },
  );
const unknownError = (status: number) =>
  Object.assign(new Error('Unknown'), {
    name: 'Unknown',
    $fault: 'server',
    $metadata: { httpStatusCode: status },
    Error: {},
  });

describe('answers that are not from STS', () => {
  it('keeps only the first line of a multi-line SDK message', () => {
    const f = stsErrorFacts(deserializationError(200));
    expect(f.message).toBe('@aws-sdk XML parse error: mismatched tags <hr> and </body>.');
    expect(f).toMatchObject({ httpStatus: 200, notSts: true });
  });

  it.each([
    ['HTML 502 from a proxy (parsed as XML without an Error Code)', unknownError(502)],
    ['HTML 502 that is not even XML', deserializationError(502)],
    ['garbage with HTTP 200', deserializationError(200)],
    ['HTML 403 from a gateway', unknownError(403)],
  ])('%s is a bad gateway, never "Unknown"', (_label, e) => {
    const f = stsErrorFacts(e);
    expect(classifyStsError(f)).toEqual({ cause: 'STS-UNREACHABLE', network: 'bad-gateway' });
    expect(describeStsError(f)).not.toMatch(/unknown/i);
    expect(describeStsError(f)).toContain(`HTTP ${f.httpStatus}`);
    expect(describeStsError(f)).toContain('not an STS answer');
    expect(describeStsError(f)).not.toContain('\n');
  });

  it('hand-built facts without the flag: Unknown 502 is still a bad gateway', () => {
    expect(classifyStsError({ name: 'Unknown', message: 'Unknown', httpStatus: 502 })).toEqual({
      cause: 'STS-UNREACHABLE',
      network: 'bad-gateway',
    });
  });

  it('a 2xx answer without Credentials is not an STS answer', () => {
    const f = stsErrorFacts(new Error('STS answered without Credentials'));
    expect(classifyStsError(f).network).toBe('bad-gateway');
  });

  it('a real STS 5xx with an error Code stays an STS error', () => {
    const e = Object.assign(new Error('oops'), {
      name: 'InternalFailure',
      Code: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    const f = stsErrorFacts(e);
    expect(f.notSts).toBeUndefined();
    expect(classifyStsError(f).cause).toBe('STS-ERROR');
    expect(describeStsError(f)).toBe('InternalFailure (HTTP 500): oops');
  });

  it('bytes that are not HTTP come from another protocol, not from STS refusing', () => {
    const e = Object.assign(new Error('Parse Error: Expected HTTP/'), { code: 'HPE_INVALID_CONSTANT' });
    expect(classifyStsError(stsErrorFacts(e))).toEqual({ cause: 'STS-UNREACHABLE', network: 'not-http' });
  });

  it('a body cut off at the cap is not an STS answer', () => {
    const e = Object.assign(new Error('too large'), {
      code: 'ERR_BODY_TOO_LARGE',
      $metadata: { httpStatusCode: 200 },
    });
    expect(classifyStsError(stsErrorFacts(e))).toEqual({ cause: 'STS-UNREACHABLE', network: 'bad-gateway' });
  });

  it('an endpoint setting that is no URL never reached STS', () => {
    const e = Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' });
    expect(classifyStsError(stsErrorFacts(e)).cause).toBe('STS-ENDPOINT-INVALID');
  });
});
