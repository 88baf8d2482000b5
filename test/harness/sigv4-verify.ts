// SigV4 verifier written against the spec with node:crypto only, so the emulators never trust the
// signing library under test (@smithy/signature-v4 for the AWS SDK, aws4 for the OpenSearch client).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IamAccount, IssuedCredentials } from './iam.js';

export interface SignedRequest {
  method: string;
  /** raw path incl. query string as received */
  path: string;
  /** numbers are accepted because client-side signers (aws4) leave Content-Length numeric */
  headers: Record<string, string | string[] | number | undefined>;
  body?: string | Buffer;
}
export type SigV4Failure =
  | 'missing'
  | 'malformed'
  | 'unknown-key'
  | 'signature-mismatch'
  | 'expired'
  | 'token-mismatch'
  | 'clock-skew';
export type SigV4Result =
  | {
      ok: true;
      accessKeyId: string;
      region: string;
      service: string;
      signedAt: Date;
      expiresInSeconds?: number;
      credentials: IssuedCredentials;
    }
  | {
      ok: false;
      reason: SigV4Failure;
      message: string;
      region?: string;
      service?: string;
      accessKeyId?: string;
    };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding as AWS wants it: encodeURIComponent plus !'()* */
function awsEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** Non-S3 canonical URI: normalise the path as received, then encode every segment again (both SDKs do). */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  if (segments.length === 0) return '/';
  return `/${segments.map(awsEncode).join('/')}${rawPath.endsWith('/') ? '/' : ''}`;
}

function parseQuery(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}

function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([k, v]) => [awsEncode(k), awsEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== lower || v === undefined) continue;
    return Array.isArray(v) ? v.join(',') : String(v);
  }
  return undefined;
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

interface AuthFields {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string | undefined;
  expires?: string;
  token?: string;
  presigned: boolean;
}

function fail(
  reason: SigV4Failure,
  message: string,
  extra: Partial<Record<'region' | 'service' | 'accessKeyId', string>> = {},
): SigV4Result {
  return { ok: false, reason, message, ...extra };
}

function extractAuth(req: SignedRequest, query: Array<[string, string]>): AuthFields | SigV4Result {
  const q = new Map(query);
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined) {
    if (!header.startsWith(`${ALGORITHM} `))
      return fail('malformed', `Unsupported authorization type: ${header.split(' ')[0]}`);
    const fields = new Map<string, string>();
    for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeaders || !signature)
      return fail(
        'malformed',
        'Authorization header requires Credential, SignedHeaders and Signature parameters.',
      );
    return {
      credential,
      signedHeaders,
      signature,
      amzDate: headerValue(req.headers, 'x-amz-date'),
      token: headerValue(req.headers, 'x-amz-security-token'),
      presigned: false,
    };
  }
  if (!q.has('X-Amz-Algorithm') && !q.has('X-Amz-Signature'))
    return fail('missing', 'Request is missing Authentication Token');
  if (q.get('X-Amz-Algorithm') !== ALGORITHM)
    return fail('malformed', `X-Amz-Algorithm must be ${ALGORITHM}.`);
  const credential = q.get('X-Amz-Credential');
  const signedHeaders = q.get('X-Amz-SignedHeaders');
  const signature = q.get('X-Amz-Signature');
  if (!credential || !signedHeaders || !signature)
    return fail(
      'malformed',
      'Presigned request requires X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Signature.',
    );
  return {
    credential,
    signedHeaders,
    signature,
    amzDate: q.get('X-Amz-Date'),
    expires: q.get('X-Amz-Expires'),
    token: q.get('X-Amz-Security-Token'),
    presigned: true,
  };
}

export function verifySigV4(req: SignedRequest, iam: IamAccount, now: Date = new Date()): SigV4Result {
  const qIdx = req.path.indexOf('?');
  const rawPath = qIdx < 0 ? req.path : req.path.slice(0, qIdx);
  let query: Array<[string, string]>;
  try {
    query = parseQuery(qIdx < 0 ? '' : req.path.slice(qIdx + 1));
  } catch {
    return fail('malformed', 'Query string is not valid percent-encoding.');
  }
  const auth = extractAuth(req, query);
  if ('ok' in auth) return auth;

  const scope = auth.credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request')
    return fail(
      'malformed',
      `Credential should be scoped to a valid region, not malformed: ${scope.slice(1).join('/')}`,
    );
  const [accessKeyId, scopeDate, region, service] = scope;
  const ctx = { accessKeyId, region, service };
  if (!auth.amzDate) return fail('malformed', 'Missing X-Amz-Date.', ctx);
  const signedAt = parseAmzDate(auth.amzDate);
  if (!signedAt) return fail('malformed', `Invalid X-Amz-Date: ${auth.amzDate}`, ctx);
  if (auth.amzDate.slice(0, 8) !== scopeDate)
    return fail(
      'malformed',
      `Credential should be scoped to a valid date: ${scopeDate} does not match ${auth.amzDate}`,
      ctx,
    );

  const creds = iam.findCredentials(accessKeyId);
  if (!creds) return fail('unknown-key', 'The security token included in the request is invalid.', ctx);
  if ((creds.sessionToken ?? undefined) !== (auth.token ?? undefined))
    return fail('token-mismatch', 'The security token included in the request is invalid.', ctx);

  let expiresInSeconds: number | undefined;
  if (auth.presigned) {
    const exp = Number(auth.expires);
    if (!Number.isInteger(exp) || exp < 1 || exp > 604800)
      return fail('malformed', 'X-Amz-Expires must be an integer between 1 and 604800.', ctx);
    const remaining = (signedAt.getTime() + exp * 1000 - now.getTime()) / 1000;
    if (remaining <= 0)
      return fail('expired', `Request has expired: signed at ${auth.amzDate}, valid for ${exp} s.`, ctx);
    if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS)
      return fail(
        'clock-skew',
        `Signature not yet current: ${auth.amzDate} is still later than now + 15 min.`,
        ctx,
      );
    expiresInSeconds = Math.floor(remaining);
  } else if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    return fail(
      'clock-skew',
      `Signature expired: ${auth.amzDate} is not within 15 min of the server time.`,
      ctx,
    );
  }

  const signedNames = auth.signedHeaders.split(';');
  const canonHeaders: string[] = [];
  for (const name of signedNames) {
    const v = headerValue(req.headers, name);
    if (v === undefined)
      return fail('signature-mismatch', `Signed header ${name} is missing from the request.`, ctx);
    canonHeaders.push(
      `${name.toLowerCase()}:${v
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim()}`,
    );
  }
  const canonQuery = canonicalQuery(auth.presigned ? query.filter(([k]) => k !== 'X-Amz-Signature') : query);
  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  const bodyHash =
    req.body === undefined || req.body.length === 0
      ? EMPTY_SHA256
      : createHash('sha256').update(req.body).digest('hex');
  // A presigned non-S3 request is signed over the real (usually empty) body by @smithy/signature-v4,
  // and over UNSIGNED-PAYLOAD by S3-style signers: accept either.
  const payloadCandidates = declaredHash
    ? [declaredHash]
    : auth.presigned
      ? [bodyHash, 'UNSIGNED-PAYLOAD']
      : [bodyHash];
  // A declared body hash only protects the body if the server checks it against what arrived.
  if (
    declaredHash &&
    /^[0-9a-f]{64}$/i.test(declaredHash) &&
    req.body !== undefined &&
    declaredHash.toLowerCase() !== bodyHash
  )
    return fail(
      'signature-mismatch',
      'The provided x-amz-content-sha256 header does not match what was computed.',
      ctx,
    );
  const key = signingKey(creds.secretAccessKey, scopeDate, region, service);
  const given = Buffer.from(auth.signature, 'utf8');
  for (const payloadHash of payloadCandidates) {
    const canonicalRequest = [
      req.method.toUpperCase(),
      canonicalUri(rawPath),
      canonQuery,
      `${canonHeaders.join('\n')}\n`,
      signedNames.join(';'),
      payloadHash,
    ].join('\n');
    const stringToSign = [
      ALGORITHM,
      auth.amzDate,
      `${scopeDate}/${region}/${service}/aws4_request`,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given))
      return { ok: true, accessKeyId, region, service, signedAt, expiresInSeconds, credentials: creds };
  }
  return fail(
    'signature-mismatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ctx,
  );
}
