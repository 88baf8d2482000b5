// The SigV4 gate in front of an OpenSearch endpoint, with the texts the service answers. The signature math is
// sigv4-verify.ts (independent of aws4, which the OpenSearch client signs with); this file only decides which
// of AWS's messages a failure earns.
import type { IncomingHttpHeaders } from 'node:http';
import type { IamAccount, IssuedCredentials } from './iam.js';
import { verifySigV4 } from './sigv4-verify.js';

export type SignatureFailure = 'scope-mismatch' | 'unknown-key' | 'expired-token' | 'bad-signature';

export type SignatureGate =
  | { ok: true /** undefined = unsigned: IAM sees the anonymous principal */; caller?: IssuedCredentials }
  | { ok: false; reason: SignatureFailure; message: string };

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export function checkSignature(
  iam: IamAccount,
  req: { method: string; rawPath: string; headers: IncomingHttpHeaders; body: Buffer },
  expected: { region: string; service: string },
  now: Date = new Date(),
): SignatureGate {
  const presigned = /[?&]X-Amz-Signature=/.test(req.rawPath);
  // Basic auth and other schemes are not IAM: the IAM layer sees an anonymous caller.
  if (!presigned && !req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) return { ok: true };
  const v = verifySigV4(
    { method: req.method, path: req.rawPath, headers: req.headers, body: req.body },
    iam,
    now,
  );
  const fail = (reason: SignatureFailure, message: string): SignatureGate => ({ ok: false, reason, message });
  // The scope is checked before the key. Real texts (trailing space included): the region message quotes
  // the region the client signed for, the service message the service the endpoint expects.
  const scopeErrors: string[] = [];
  if (v.region !== undefined && v.region !== expected.region)
    scopeErrors.push(`Credential should be scoped to a valid region, not '${v.region}'. `);
  if (v.service !== undefined && v.service !== expected.service)
    scopeErrors.push(`Credential should be scoped to correct service: '${expected.service}'. `);
  if (scopeErrors.length > 0) return fail('scope-mismatch', scopeErrors.join(''));
  if (!v.ok) {
    if (v.reason === 'unknown-key' || v.reason === 'token-mismatch')
      return fail('unknown-key', 'The security token included in the request is invalid.');
    return fail('bad-signature', v.reason === 'signature-mismatch' ? SIGNATURE_MISMATCH : v.message);
  }
  if (v.credentials.expiration.getTime() <= now.getTime())
    return fail('expired-token', 'The security token included in the request is expired');
  return { ok: true, caller: v.credentials };
}
