import { describe, expect, it } from 'vitest';
import {
  classifyOpenSearchError,
  errorText,
  looksLikeInstanceSession,
} from '../../../../src/agent/opensearch/classify-opensearch-error.js';

const SESSION = 'arn:aws:sts::111122223333:assumed-role/camunda-opensearch/botocore-session-1700000000';
const ROLE = 'arn:aws:iam::111122223333:role/camunda-opensearch';

// The bodies Amazon OpenSearch Service really answers (REFERENCE.md section 10).
const resourceDenied = {
  Message: `User: ${SESSION} is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action`,
};
const identityDenied = {
  Message: `User: ${SESSION} is not authorized to perform: es:ESHttpGet because no identity-based policy allows the es:ESHttpGet action`,
};
const fgacReason = `no permissions for [cluster:monitor/main] and User [name=${ROLE}, backend_roles=[${ROLE}], requestedTenant=null]`;
const fgacBody = {
  error: {
    root_cause: [{ type: 'security_exception', reason: fgacReason }],
    type: 'security_exception',
    reason: fgacReason,
  },
  status: 403,
};

describe('classifyOpenSearchError', () => {
  it('domain access policy: "no resource-based policy allows", with the principal and action', () => {
    const d = classifyOpenSearchError(403, resourceDenied);
    expect(d).toMatchObject({
      kind: 'access-policy',
      principal: SESSION,
      action: 'es:ESHttpGet',
      explicitDeny: false,
    });
  });

  it('identity policy: "no identity-based policy allows"', () => {
    expect(classifyOpenSearchError(403, identityDenied)).toMatchObject({
      kind: 'identity-policy',
      principal: SESSION,
      explicitDeny: false,
    });
  });

  it('explicit denies keep their side', () => {
    const msg = (side: string) => ({
      Message: `User: ${SESSION} is not authorized to perform: es:ESHttpGet with an explicit deny in a ${side} policy`,
    });
    expect(classifyOpenSearchError(403, msg('resource-based'))).toMatchObject({
      kind: 'access-policy',
      explicitDeny: true,
    });
    expect(classifyOpenSearchError(403, msg('identity-based'))).toMatchObject({
      kind: 'identity-policy',
      explicitDeny: true,
    });
  });

  it('the caller-side policy types IAM names are identity-side denials, with the type kept', () => {
    const msg = (tail: string) => ({
      Message: `User: ${SESSION} is not authorized to perform: es:ESHttpGet ${tail}`,
    });
    expect(classifyOpenSearchError(403, identityDenied)).toMatchObject({
      policyType: 'identity-based policy',
    });
    expect(
      classifyOpenSearchError(403, msg('because no permissions boundary allows the es:ESHttpGet action')),
    ).toMatchObject({ kind: 'identity-policy', policyType: 'permissions boundary', explicitDeny: false });
    expect(
      classifyOpenSearchError(403, msg('with an explicit deny in a service control policy')),
    ).toMatchObject({ kind: 'identity-policy', policyType: 'service control policy', explicitDeny: true });
    expect(
      classifyOpenSearchError(403, msg('because no session policy allows the es:ESHttpGet action')),
    ).toMatchObject({ kind: 'identity-policy', policyType: 'session policy' });
  });

  it('accepts the body as a JSON string and with lower-case "message"', () => {
    const asString = JSON.stringify({ message: identityDenied.Message });
    expect(classifyOpenSearchError(403, asString).kind).toBe('identity-policy');
  });

  it('the old domain-policy text without a "because" clause is still the access policy', () => {
    const d = classifyOpenSearchError(403, {
      Message: `User: ${SESSION} is not authorized to perform: es:ESHttpGet`,
    });
    expect(d.kind).toBe('access-policy');
  });

  it('anonymous principal means the request was not signed', () => {
    const body = {
      Message:
        'User: anonymous is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action',
    };
    expect(classifyOpenSearchError(403, body).kind).toBe('anonymous');
    expect(
      classifyOpenSearchError(403, { Message: 'User: anonymous is not authorized to perform: es:ESHttpGet' })
        .kind,
    ).toBe('anonymous');
    // FGAC without anonymous auth challenges an unsigned request with Basic.
    expect(classifyOpenSearchError(401, 'Unauthorized').kind).toBe('anonymous');
  });

  it('fine-grained access control: extracts the user, its backend roles and the action', () => {
    const d = classifyOpenSearchError(403, fgacBody);
    expect(d).toEqual({
      kind: 'fgac-unmapped',
      user: ROLE,
      backendRoles: [ROLE],
      action: 'cluster:monitor/main',
      text: expect.stringContaining('security_exception'),
    });
    // Also when the client hands over the raw string.
    expect(classifyOpenSearchError(403, JSON.stringify(fgacBody)).kind).toBe('fgac-unmapped');
  });

  it('fine-grained access control with several backend roles', () => {
    const reason = `no permissions for [indices:data/read/search] and User [name=${ROLE}, backend_roles=[${ROLE}, other], requestedTenant=null]`;
    const d = classifyOpenSearchError(403, {
      error: { root_cause: [{ type: 'security_exception', reason }] },
      status: 403,
    });
    expect(d).toMatchObject({
      kind: 'fgac-unmapped',
      backendRoles: [ROLE, 'other'],
      action: 'indices:data/read/search',
    });
  });

  it('signature mismatch and SigV4 scope errors name the expected service and wrong region', () => {
    expect(
      classifyOpenSearchError(403, {
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      }),
    ).toMatchObject({ kind: 'signature', mismatch: true });
    expect(
      classifyOpenSearchError(403, { message: "Credential should be scoped to correct service: 'es'. " }),
    ).toMatchObject({ kind: 'signature', expectedService: 'es', mismatch: false });
    expect(
      classifyOpenSearchError(403, {
        message: "Credential should be scoped to a valid region, not 'us-east-1'. ",
      }),
    ).toMatchObject({ kind: 'signature', wrongRegion: 'us-east-1' });
  });

  it('invalid and expired security tokens', () => {
    expect(
      classifyOpenSearchError(403, { message: 'The security token included in the request is invalid.' }),
    ).toMatchObject({ kind: 'invalid-token', expired: false });
    expect(
      classifyOpenSearchError(403, { message: 'The security token included in the request is expired' }),
    ).toMatchObject({ kind: 'invalid-token', expired: true });
  });

  it('Serverless answers one opaque 403', () => {
    const body = {
      status: 403,
      'request-id': '5f0d4b8e-0000-4000-8000-000000000000',
      error: { reason: '403 Forbidden', type: 'Forbidden' },
    };
    expect(classifyOpenSearchError(403, body).kind).toBe('aoss-forbidden');
  });

  it('anything else is an HTTP error with the first line of the body, redacted', () => {
    const d = classifyOpenSearchError(500, 'boom\nsecond line');
    expect(d).toEqual({ kind: 'http-error', text: 'boom' });
    const e = classifyOpenSearchError(400, { error: 'no handler found for uri [/x] and method [GET]' });
    expect(e).toEqual({ kind: 'http-error', text: 'no handler found for uri [/x] and method [GET]' });
    const s = classifyOpenSearchError(502, `X-Amz-Security-Token=${'A'.repeat(40)}&x=1`);
    expect(s.text).not.toContain('A'.repeat(40));
  });
});

describe('errorText', () => {
  it('reads Message, message, error.reason and plain text', () => {
    expect(errorText({ Message: 'a' })).toBe('a');
    expect(errorText({ message: 'b' })).toBe('b');
    expect(errorText(fgacBody)).toBe(`security_exception: ${fgacReason}`);
    expect(errorText('  plain  ')).toBe('plain');
    expect(errorText(undefined)).toBe('');
    expect(errorText('{not json')).toBe('{not json');
  });
  it('decodes bodies that arrive as bytes, and classifies them like text', () => {
    expect(errorText(Buffer.from(JSON.stringify(resourceDenied)))).toBe(resourceDenied.Message);
    expect(errorText(Buffer.from(' Forbidden\n'))).toBe('Forbidden');
    expect(errorText(new TextEncoder().encode('{"message":"m"}'))).toBe('m');
    expect(classifyOpenSearchError(403, Buffer.from(JSON.stringify(fgacBody)))).toMatchObject({
      kind: 'fgac-unmapped',
      user: ROLE,
    });
  });
});

describe('looksLikeInstanceSession', () => {
  it('spots the EC2 instance id session name of a node role', () => {
    expect(
      looksLikeInstanceSession('arn:aws:sts::111122223333:assumed-role/eks-node-role/i-0abc1234def567890'),
    ).toBe(true);
    expect(looksLikeInstanceSession('arn:aws:sts::111122223333:assumed-role/eks-node-role/i-0abc1234')).toBe(
      true,
    );
    expect(looksLikeInstanceSession(SESSION)).toBe(false);
    expect(looksLikeInstanceSession(ROLE)).toBe(false);
    expect(looksLikeInstanceSession(undefined)).toBe(false);
  });
});
